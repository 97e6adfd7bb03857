"""Duplicate warnings (within what the user may see) and merging companies."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.companies import normalise_company_name
from app.leads.models import Company, Contact, Lead
from tests.leads_helpers import bearer, company_name, login, make_lead


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


def test_company_lookup_by_orgnr_in_the_api_respects_visibility(client, users, tokens):
    lead = make_lead(users["arboga"], "orgnr")
    lead.company.orgnr = "556036-0793"
    db.session.commit()
    mine = client.get("/api/v1/companies?orgnr=5560360793", headers=bearer(tokens["arboga"]))
    assert mine.json["total"] == 1 and mine.json["items"][0]["name"] == company_name("orgnr")
    other = client.get("/api/v1/companies?orgnr=556036-0793", headers=bearer(tokens["kumla"]))
    assert other.json["total"] == 0 and company_name("orgnr") not in other.get_data(as_text=True)
    bad = client.get("/api/v1/companies?orgnr=811228-9874", headers=bearer(tokens["kumla"]))
    assert bad.status_code == 422


@pytest.mark.parametrize("who", ["orebro", "admin"])
def test_advisors_and_admin_merge_two_companies_of_their_municipality(client, users, who):
    first = make_lead(users["orebro"], "merge-a")
    second = make_lead(users["orebro"], "merge-b")
    db.session.add(Contact(company_id=second.company_id, lead_id=second.id, name="Kim"))
    db.session.commit()
    source_id, target_id = second.company_id, first.company_id
    login(client, who)
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


@pytest.mark.parametrize(("who", "first_owner", "second_owner"), [
    ("admin", "kumla", "kumla"),  # the admin merges only in the admin's own municipality
    ("admin", "orebro", "kumla"),
    ("kumla", "kumla", "arboga"),  # never across two registers
    ("viewer", "kumla", "kumla"),
])
def test_nobody_merges_companies_outside_their_municipality(client, users, who, first_owner,
                                                            second_owner):
    first = make_lead(users[first_owner], "merge-a")
    second = make_lead(users[second_owner], "merge-b")
    login(client, who)
    response = client.post("/companies/merge", data={"source": second.company_id,
                                                     "target": first.company_id})
    assert response.status_code in (302, 403)
    db.session.expire_all()
    assert db.session.get(Company, second.company_id) is not None
    assert db.session.get(Lead, second.id).company_id == second.company_id


# --- editing a company's details ----------------------------------------------------------


def _company_form(company, version=None, **changes) -> dict:
    data = {"name": company.name, "orgnr": company.orgnr or "", "country": company.country,
            "sector": company.sector or "", "website": company.website or "",
            "version": str(company.version if version is None else version)}
    data.update(changes)
    return data


def test_owner_advisor_edits_the_company_and_the_change_is_audited(client, users):
    lead = make_lead(users["kumla"], "edit")
    company = lead.company
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert f'/companies/{company.id}/edit?next=/leads/{lead.id}' in page
    response = client.post(f"/companies/{company.id}/edit?next=/leads/{lead.id}",
                           data=_company_form(company, name="Nytt Namn AB",
                                              orgnr="5560160680", website="https://nytt.se"))
    assert response.status_code == 302 and response.headers["Location"] == f"/leads/{lead.id}"
    db.session.refresh(company)
    assert (company.name, company.orgnr, company.website, company.version) == (
        "Nytt Namn AB", "556016-0680", "https://nytt.se", 2)
    assert company.name_key == normalise_company_name("Nytt Namn AB")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "company.updated"))
    assert event.actor_id == users["kumla"].id and event.object_id == company.id
    assert event.before["name"] == company_name("edit") and event.after["name"] == "Nytt Namn AB"
    assert "Nytt Namn AB" in client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert f'/companies/{company.id}/edit"' in client.get("/companies").get_data(as_text=True)


def test_a_bad_organisation_number_is_a_swedish_field_error_and_changes_nothing(client, users):
    company = make_lead(users["kumla"], "badnr").company
    login(client, "kumla")
    response = client.post(f"/companies/{company.id}/edit",
                           data=_company_form(company, name="Annat", orgnr="5560160681"))
    assert response.status_code == 422
    assert "Kontrollsiffran (den sista siffran) är fel." in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.name == company_name("badnr") and company.version == 1


def test_an_organisation_number_of_another_visible_company_is_refused(client, users):
    first = make_lead(users["kumla"], "first").company
    first.orgnr = "556016-0680"
    db.session.commit()
    second = make_lead(users["kumla"], "second").company
    login(client, "kumla")
    response = client.post(f"/companies/{second.id}/edit",
                           data=_company_form(second, orgnr="556016-0680"))
    assert response.status_code == 422
    db.session.refresh(second)
    assert second.orgnr is None and second.version == 1


@pytest.mark.parametrize(("who", "level", "status"), [
    ("hallsberg", "full", 403),  # a partner sees the company but does not edit it
    ("hallsberg", "anonymised", 404),  # nor sees it at all through an anonymised share
    ("arboga", None, 404),
    ("viewer", None, 403),  # Kumla's viewer sees Kumla's company
    ("admin", None, 403),  # the admin edits only the admin's own municipality's companies
])
def test_who_may_edit_a_company(client, users, who, level, status):
    from app.leads.models import ShareLevel
    from tests.leads_helpers import share

    lead = make_lead(users["kumla"], "rights")
    if level:
        share(lead, "hallsberg", ShareLevel(level))
    login(client, who)
    company = lead.company
    assert client.get(f"/companies/{company.id}/edit").status_code == status
    posted = client.post(f"/companies/{company.id}/edit", data=_company_form(company, name="X"))
    assert posted.status_code == (302 if status == 200 else status)
    db.session.refresh(company)
    assert (company.name == "X") == (status == 200)


def test_a_stale_company_edit_answers_409_with_both_versions(client, users):
    company = make_lead(users["kumla"], "stale").company
    login(client, "kumla")
    assert client.post(f"/companies/{company.id}/edit",
                       data=_company_form(company, version=1, sector="Kyl")).status_code == 302
    stale = client.post(f"/companies/{company.id}/edit",
                        data=_company_form(company, version=1, sector="Frakt"))
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert 'data-testid="conflict"' in body and "Kyl" in body and "Frakt" in body
    db.session.refresh(company)
    assert company.sector == "Kyl" and company.version == 2


def test_company_text_is_stored_as_typed_and_escaped(client, users):
    lead = make_lead(users["kumla"], "xss")
    company = lead.company
    login(client, "kumla")
    hostile = '<img src=x onerror="alert(1)">'
    assert client.post(f"/companies/{company.id}/edit?next=https://evil.example/",
                       data=_company_form(company, name=hostile)).headers["Location"] == "/companies"
    db.session.refresh(company)
    assert company.name == hostile
    for url in (f"/leads/{lead.id}", "/companies", f"/companies/{company.id}/edit"):
        body = client.get(url).get_data(as_text=True)
        assert hostile not in body and "&lt;img src=x" in body, url
