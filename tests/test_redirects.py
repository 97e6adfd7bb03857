"""Every `next` parameter and cancel link leads only to a path on this site
(app/redirects.py), through the helper and through the real routes."""

from __future__ import annotations

import html
import re

import pytest

from app.extensions import db
from app.leads.models import FollowUp
from app.redirects import safe_next
from tests.leads_helpers import add_followups, login, make_lead

FALLBACK = "/fallback"

HOSTILE = [
    "/\t/evil.example/phish",
    "/%09/evil.example/phish",
    "/%09/evil.example",
    "/\n/evil.example",
    "/%0a/evil.example",
    "/%0D%0A/evil.example",
    "/\r/evil.example",
    "/\x00/evil.example",
    "/\x0b/evil.example",
    "/\x7f/evil.example",
    "/\u2028/evil.example",
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/%5c/evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "%2F%2Fevil.example",
    "https://evil.example",
    "https:/evil.example",
    "http:evil.example",
    "//evil.example/%2e%2e",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " /evil",
    "\t//evil.example",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "leads/1",
    "",
    None,
]

LOCAL = [
    "/",
    "/leads/12",
    "/leads?stage=new&q=Projekt%20Stj%C3%A4rna",
    "/leads/3#followups",
    "/followups?next=//evil.example",  # a query value is not where the browser goes
    "/companies/5/edit?next=/leads/5",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_next_value_that_is_not_a_plain_local_path_falls_back(value):
    assert safe_next(value, FALLBACK) == FALLBACK


@pytest.mark.parametrize("value", LOCAL)
def test_a_local_path_is_kept(value):
    assert safe_next(value, FALLBACK) == value


# --- through the routes (issue 12, item 5) --------------------------------------------------

ISSUE_VARIANTS = ["/%09/evil.example/phish", "/\t/evil.example/phish", "/\\evil.example",
                  "//evil.example", "/%2F%2Fevil.example", "/%5cevil.example"]


def _cancel_href(page: str) -> str:
    match = re.search(r'<a class="btn btn-link" href="([^"]*)">', page)
    assert match, "no cancel link"
    return html.unescape(match.group(1))


@pytest.mark.parametrize("value", ISSUE_VARIANTS)
def test_company_edit_cancel_link_does_not_lead_to_another_site(client, users, value):
    company = make_lead(users["kumla"], "redirect").company
    login(client, "kumla")
    page = client.get(f"/companies/{company.id}/edit", query_string={"next": value})
    assert page.status_code == 200
    assert _cancel_href(page.get_data(as_text=True)) == "/companies"


@pytest.mark.parametrize("value", ISSUE_VARIANTS)
def test_company_edit_save_does_not_redirect_to_another_site(client, users, value):
    company = make_lead(users["kumla"], "redirect").company
    login(client, "kumla")
    response = client.post(
        f"/companies/{company.id}/edit", query_string={"next": value},
        data={"name": "Nytt Namn AB", "orgnr": "", "country": company.country, "sector": "",
              "website": "", "version": str(company.version)})
    assert response.status_code == 302 and response.headers["Location"] == "/companies"


def test_company_edit_keeps_a_local_next(client, users):
    lead = make_lead(users["kumla"], "redirect")
    login(client, "kumla")
    page = client.get(f"/companies/{lead.company.id}/edit?next=/leads/{lead.id}")
    assert _cancel_href(page.get_data(as_text=True)) == f"/leads/{lead.id}"


@pytest.mark.parametrize("value", [*ISSUE_VARIANTS, "/\t/evil.example"])
def test_follow_up_done_does_not_redirect_to_another_site(client, users, value):
    lead = make_lead(users["kumla"], "redirect")
    add_followups(lead, users["kumla"], 1)
    followup = db.session.scalar(db.select(FollowUp).where(FollowUp.lead_id == lead.id))
    login(client, "kumla")
    response = client.post(f"/followups/{followup.id}/done", data={"done": "1", "next": value})
    assert response.status_code == 302 and response.headers["Location"] == "/followups"


def test_follow_up_done_returns_to_a_local_next(client, users):
    lead = make_lead(users["kumla"], "redirect")
    add_followups(lead, users["kumla"], 1)
    followup = db.session.scalar(db.select(FollowUp).where(FollowUp.lead_id == lead.id))
    login(client, "kumla")
    response = client.post(f"/followups/{followup.id}/done",
                           data={"done": "1", "next": f"/leads/{lead.id}"})
    assert response.headers["Location"] == f"/leads/{lead.id}"


@pytest.mark.parametrize("value", ISSUE_VARIANTS)
def test_login_does_not_redirect_to_another_site(client, users, value):
    response = client.post("/login", query_string={"next": value},
                           data={"email": "kumla@test.example", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
