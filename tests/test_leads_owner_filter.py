"""The lead list's owner filter lists the region's active advisors. It is kept per process
by the users' revision (app.auth.service.advisor_options), so each change to an account
shows on the next page."""

from __future__ import annotations

import re

from tests.factories import make_user
from tests.leads_helpers import login


def owner_options(client) -> list[str]:
    page = client.get("/leads").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="owner"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def save_account(client, user, **changes) -> None:
    values = {"name": user.name, "municipality": user.municipality.slug,
              "role": user.role.value, "locale": user.locale, "active": "y", **changes}
    if not values["active"]:
        del values["active"]
    assert client.post(f"/admin/users/{user.id}", data=values).status_code == 302


def test_owner_filter_follows_every_change_to_the_accounts(client, users):
    login(client, "admin")
    kumla = users["kumla"]
    before = owner_options(client)
    assert kumla.name in before and users["viewer"].name not in before  # advisors only

    save_account(client, kumla, name="Omdöpt Rådgivare <b>")
    options = owner_options(client)
    assert "Omdöpt Rådgivare &lt;b&gt;" in options and kumla.name not in options

    save_account(client, kumla, name="Omdöpt Rådgivare <b>", active="")
    assert "Omdöpt Rådgivare &lt;b&gt;" not in owner_options(client)

    make_user("ny@test.example", "arboga", "advisor", name="Nyanställd Rådgivare")
    assert "Nyanställd Rådgivare" in owner_options(client)


def test_the_chosen_owner_stays_selected(client, users):
    login(client, "admin")
    page = client.get(f"/leads?owner={users['arboga'].id}").get_data(as_text=True)
    assert f'<option selected value="{users["arboga"].id}">' in page
    assert f'<option value="{users["arboga"].id}">' in client.get("/leads").get_data(as_text=True)
