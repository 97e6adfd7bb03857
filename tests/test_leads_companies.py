"""Duplicate warnings (within what the user may see) and merging companies."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.companies import normalise_company_name
from app.leads.models import Company, Contact, Lead
from tests.leads_helpers import bearer, company_name, login, make_lead, tokens  # noqa: F401


@pytest.mark.parametrize(("a", "b"), [
    ("Nordfrakt Lager AB", "nordfrakt lager"),
    ("Nordfrakt Lager Aktiebolag", "NORDFRAKT LAGER AB"),
    ("Örebro Pall AB (publ)", "orebro pall"),
    ("Kyl & Frys AB", "kyl frys"),
])
def test_normalised_names_ignore_case_diacritics_and_the_ab_suffix(a, b):
    assert normalise_company_name(a) == normalise_company_name(b)


def test_creating_a_lead_warns_about_a_visible_duplicate_and_links_to_it(client, users):
    existing = make_lead(users["kumla"], "dup").company
    existing.orgnr = "556016-0680"
    db.session.commit()
    login(client, "kumla")
    warned = client.post("/leads/new", data={"source": "direct", "codename": "Projekt Två",
                                             "company_name": company_name("dup").upper()})
    assert warned.status_code == 422
    assert 'data-testid="duplicate-warning"' in warned.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lead)) == 1
    by_orgnr = client.post("/leads/new", data={"source": "direct", "codename": "Projekt Tre",
                                               "company_name": "Annat Namn",
                                               "company_orgnr": "5560160680"})
    assert 'data-testid="duplicate-warning"' in by_orgnr.get_data(as_text=True)
    linked = client.post("/leads/new", data={"source": "direct", "codename": "Projekt Två",
                                             "company_name": company_name("dup"),
                                             "link_company_id": existing.id})
    assert linked.status_code == 302
    lead = db.session.scalar(sa.select(Lead).where(Lead.codename == "Projekt Två"))
    assert lead.company_id == existing.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 1


def test_create_anyway_makes_a_second_company(client, users):
    make_lead(users["kumla"], "dup")
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct", "company_name":
                                               company_name("dup"), "create_anyway": "y"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 2


def test_no_warning_about_a_company_the_user_may_not_see(client, users):
    make_lead(users["arboga"], "hidden")  # Arboga's, not shared with Kumla
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct",
                                               "company_name": company_name("hidden")})
    assert response.status_code == 302
    assert company_name("hidden") in [c.name for c in db.session.scalars(sa.select(Company))]


def test_company_lookup_by_orgnr_in_the_api_respects_visibility(client, users, tokens):  # noqa: F811
    lead = make_lead(users["arboga"], "orgnr")
    lead.company.orgnr = "556036-0793"
    db.session.commit()
    mine = client.get("/api/v1/companies?orgnr=5560360793", headers=bearer(tokens["arboga"]))
    assert mine.json["total"] == 1 and mine.json["items"][0]["name"] == company_name("orgnr")
    other = client.get("/api/v1/companies?orgnr=556036-0793", headers=bearer(tokens["kumla"]))
    assert other.json["total"] == 0 and company_name("orgnr") not in other.get_data(as_text=True)
    bad = client.get("/api/v1/companies?orgnr=811228-9874", headers=bearer(tokens["kumla"]))
    assert bad.status_code == 422


def test_admin_merges_two_companies_and_their_leads_move_over(client, users):
    first = make_lead(users["kumla"], "merge-a")
    second = make_lead(users["arboga"], "merge-b")
    db.session.add(Contact(company_id=second.company_id, name="Kim"))
    db.session.commit()
    source_id, target_id = second.company_id, first.company_id
    login(client, "admin")
    assert company_name("merge-b") in client.get("/companies").get_data(as_text=True)
    response = client.post("/companies/merge", data={"source": source_id, "target": target_id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Company, source_id) is None
    assert db.session.get(Lead, second.id).company_id == target_id
    assert db.session.get(Lead, second.id).version == 2
    assert db.session.scalar(sa.select(Contact.company_id)) == target_id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "company.merged"))
    assert event.after["lead_ids"] == [second.id]


def test_advisors_cannot_merge(client, users):
    first = make_lead(users["kumla"], "merge-a")
    second = make_lead(users["kumla"], "merge-b")
    login(client, "kumla")
    response = client.post("/companies/merge", data={"source": second.company_id,
                                                     "target": first.company_id})
    assert response.status_code == 403
    assert db.session.get(Company, second.company_id) is not None
