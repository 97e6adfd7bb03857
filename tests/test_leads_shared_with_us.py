"""'Shared with us' (issue 17, first part): the lead list's scope filter (page and API)
and the start page's sections, whose figures are the counts of the lists they link to."""

from __future__ import annotations

import re

import pytest

from app.leads.models import ShareLevel
from app.leads.sharing import respond
from tests.leads_helpers import bearer, login, make_lead, share


@pytest.fixture
def partners(users):
    """Kumla's own leads (one answered by Hallsberg), and Arboga's leads shared with
    Kumla (one answered by Kumla, one awaiting), and one not shared with Kumla."""
    own = make_lead(users["kumla"], "egen")
    answered_by_partner = make_lead(users["kumla"], "besvarad")
    share(answered_by_partner, "hallsberg", ShareLevel.FULL)
    respond(users["hallsberg"], answered_by_partner, "interested", "Vi har mark")
    waiting = make_lead(users["arboga"], "väntar")
    share(waiting, "kumla", ShareLevel.ANONYMISED)
    replied = make_lead(users["arboga"], "svarat")
    share(replied, "kumla", ShareLevel.FULL)
    respond(users["kumla"], replied, "no_suitable_site", None)
    make_lead(users["arboga"], "hemlig")  # not shared with Kumla
    return {"own": own, "answered": answered_by_partner, "waiting": waiting,
            "replied": replied}


EXPECTED = {"owned": {"egen", "besvarad"}, "shared": {"väntar", "svarat"},
            "awaiting": {"väntar"}, "answered": {"besvarad"}}


@pytest.mark.parametrize("which", list(EXPECTED))
def test_the_scope_filter_lists_whose_leads_in_the_page_and_the_api(client, tokens, partners,
                                                                    which):
    expected = {f"Projekt {key}" for key in EXPECTED[which]}
    api = client.get(f"/api/v1/leads?scope={which}", headers=bearer(tokens["kumla"]))
    assert api.status_code == 200
    assert {item["codename"] for item in api.json["items"]} == expected
    login(client, "kumla")
    page = client.get(f"/leads?scope={which}").get_data(as_text=True)
    for key in ("egen", "besvarad", "väntar", "svarat", "hemlig"):
        assert (f"Projekt {key}" in page) == (f"Projekt {key}" in expected), key


def test_an_unknown_scope_is_refused_by_the_api(client, tokens, partners):
    response = client.get("/api/v1/leads?scope=everything", headers=bearer(tokens["kumla"]))
    assert response.status_code == 422 and "scope" in response.json["error"]["fields"]


def test_the_start_page_figures_equal_the_lists_they_link_to(client, partners):
    login(client, "kumla")
    page = client.get("/").get_data(as_text=True)
    assert "Delade med oss – väntar på svar (1)" in page
    assert "Svar från partner (1)" in page
    assert "Projekt väntar" in page and re.search(r"väntat \d+ dag", page)
    assert "Projekt besvarad" in page and "Hallsberg: Intresserad" in page
    for which in ("awaiting", "answered"):
        listed = client.get(f"/leads?scope={which}").get_data(as_text=True)
        count = re.search(r'data-testid="result-count">(\d+) ', listed)
        assert count and count.group(1) == "1", which
