"""A lead page's follow-up form offers the active advisors who can see the lead. The
choices are kept per process by the users' revision and the lead's municipalities
(app.leads.followups.assignee_choices), so every change shows on the next page."""

from __future__ import annotations

import re

from app.leads.models import ShareLevel
from tests.factories import make_user
from tests.leads_helpers import login, make_lead, share


def assignee_options(client, lead) -> list[str]:
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="assignee_id"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_assignees_follow_accounts_and_shares(client, users):
    lead = make_lead(users["kumla"], "assignees")
    other = make_lead(users["kumla"], "assignees_other")
    login(client, "kumla")
    assert assignee_options(client, lead) == [users["kumla"].name]  # advisors only

    colleague = make_user("kollega@test.example", "kumla", "advisor", name="Kollega <i>")
    assert assignee_options(client, lead) == sorted([users["kumla"].name, "Kollega &lt;i&gt;"])

    share(lead, "arboga", ShareLevel.FULL)
    assert users["arboga"].name in assignee_options(client, lead)
    assert users["arboga"].name not in assignee_options(client, other)  # not shared there

    from app.extensions import db

    colleague.name = "Omdöpt Kollega"
    db.session.commit()
    assert "Omdöpt Kollega" in assignee_options(client, lead)
    colleague.active = False
    db.session.commit()
    assert "Omdöpt Kollega" not in assignee_options(client, lead)


def test_the_current_user_is_the_chosen_assignee(client, users):
    lead = make_lead(users["kumla"], "chosen")
    share(lead, "arboga", ShareLevel.FULL)
    for who in ("kumla", "arboga"):
        login(client, who)
        page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
        assert f'<option selected value="{users[who].id}">' in page
        client.post("/logout")
