"""The input rules in the HTML forms: regression tests of issue 13, items 1, 5, 6 and 11."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.clock import local_today
from app.extensions import db
from app.leads.models import Activity, Company, Contact, FollowUp, Lead
from app.sites.models import Site
from tests.leads_helpers import bearer, login, make_lead
from tests.test_sites_pages import form_data as site_form_data


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def lead(app, users):
    return make_lead(users["kumla"], "inmatning")


def _post_and_follow(client, url: str, data: dict) -> str:
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code in (200, 422), response.status_code
    return response.get_data(as_text=True)


# --- item 1: control characters and U+202E -------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("codename", "Projekt\x0bVT"),
    ("codename", "Projekt\u202eTV"),
    ("description", "Rad ett\x0crad två"),
    ("description", "Escape\x1b[31m"),
    ("company_name", "Bolaget\x0b AB"),
    ("sector", "Lager\x85"),
])
def test_item_1_control_characters_that_break_the_xlsx_export_are_refused_in_lead_form(
        client, users, field, value):
    login(client, "kumla")
    before = (_count(Lead), _count(Company))
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "codename": "Projekt Ok",
                                               field: value})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'id="{field}"' in body and "is-invalid" in body
    assert "styrtecken" in body or "textriktningstecken" in body
    assert (_count(Lead), _count(Company)) == before


@pytest.mark.parametrize(("field", "value"), [
    ("name", "Anna\x0bAndersson"), ("name", "Anna\u202eAndersson"), ("phone", "019\x0c123456"),
    ("title", "VD\x1b"),
])
def test_item_1_control_characters_are_refused_in_contact_form(client, lead, field, value):
    login(client, "kumla")
    data = {"name": "Anna Andersson", field: value}
    body = _post_and_follow(client, f"/leads/{lead.id}/contacts", data)
    assert "styrtecken" in body or "textriktningstecken" in body
    assert _count(Contact) == 0


def test_item_1_a_multi_line_description_keeps_its_line_breaks(client, users):
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct", "codename": "Projekt Rader",
                                               "description": "Rad ett\r\nRad två\tmed tab"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Lead.description)) == "Rad ett\nRad två\tmed tab"


# --- item 5: year 0001 in date-time fields ---------------------------------------------------------

def test_item_5_follow_up_reminder_in_year_0001_is_a_field_error_not_a_500(client, lead):
    login(client, "kumla")
    body = _post_and_follow(client, f"/leads/{lead.id}/followups", {
        "title": "Ring", "due_on": local_today().isoformat(), "remind_at": "0001-01-01T00:00"})
    assert "rimliga intervallet" in body
    assert _count(FollowUp) == 0


def test_item_5_activity_time_in_year_0001_is_a_field_error_not_a_500(client, lead):
    login(client, "kumla")
    before = _count(Activity)
    body = _post_and_follow(client, f"/leads/{lead.id}/activities", {
        "kind": "note", "body": "Möte", "at": "0001-01-01T00:00"})
    assert "rimliga intervallet" in body
    assert _count(Activity) == before


def test_item_5_reminder_of_an_existing_follow_up_in_year_9999_is_refused(client, lead, users):
    followup = FollowUp(lead_id=lead.id, title="Ring", due_on=local_today(),
                        assignee_id=users["kumla"].id)
    db.session.add(followup)
    db.session.commit()
    login(client, "kumla")
    body = _post_and_follow(client, f"/followups/{followup.id}/reminder",
                            {"remind_at": "9999-12-31T23:59"})
    assert "rimliga intervallet" in body
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).remind_at is None


# --- item 6: garbage stored silently (values) ------------------------------------------------------

@pytest.mark.parametrize("year", ["0001", "9999"])
@pytest.mark.parametrize("field", ["received_on", "desired_start"])
def test_item_6_implausible_years_in_lead_dates_are_refused(client, users, field, year):
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "codename": "Projekt År",
                                               field: f"{year}-06-01"})
    assert response.status_code == 422
    assert "rimliga intervallet" in response.get_data(as_text=True)
    assert _count(Lead) == 0


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_item_6_implausible_follow_up_due_date_is_refused(client, lead, year):
    login(client, "kumla")
    body = _post_and_follow(client, f"/leads/{lead.id}/followups",
                            {"title": "Ring", "due_on": f"{year}-06-01"})
    assert "rimliga intervallet" in body
    assert _count(FollowUp) == 0


@pytest.mark.parametrize("at", ["9999-12-31T23:59", "0001-06-01T12:00"])
def test_item_6_implausible_activity_time_is_refused(client, lead, at):
    login(client, "kumla")
    before = _count(Activity)
    body = _post_and_follow(client, f"/leads/{lead.id}/activities",
                            {"kind": "note", "body": "Möte", "at": at})
    assert "rimliga intervallet" in body
    assert _count(Activity) == before


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_item_6_implausible_site_available_from_is_refused(client, users, year):
    login(client, "kumla")
    response = client.post("/sites/new", data=site_form_data(available_from=f"{year}-01-01"))
    assert response.status_code == 422
    assert "rimliga intervallet" in response.get_data(as_text=True)
    assert _count(Site) == 0


@pytest.mark.parametrize(("field", "value", "swedish"), [
    ("email", "not-an-email", "e-postadress"),
    ("phone", "💥💥", "telefonnummer"),
    ("phone", "12", "Telefonnumret finns inte"),
])
def test_item_6_garbage_contact_email_and_phone_are_refused(client, lead, field, value, swedish):
    login(client, "kumla")
    body = _post_and_follow(client, f"/leads/{lead.id}/contacts",
                            {"name": "Anna Andersson", field: value})
    assert swedish in body
    assert _count(Contact) == 0


def test_item_6_valid_contact_email_and_phone_are_stored_normalised(client, lead):
    login(client, "kumla")
    _post_and_follow(client, f"/leads/{lead.id}/contacts", {
        "name": " Anna Andersson ", "email": "anna@Example.SE", "phone": "019-12 34 56"})
    contact = db.session.scalar(sa.select(Contact))
    assert (contact.name, contact.email, contact.phone) == (
        "Anna Andersson", "anna@example.se", "+46 19 12 34 56")


def test_item_6_plausible_dates_are_accepted(client, users):
    login(client, "kumla")
    today = local_today()
    response = client.post("/leads/new", data={
        "source": "direct",
        "description": "Lagerbehov", "codename": "Projekt Rimlig", "received_on": today.isoformat(),
        "desired_start": (today + timedelta(days=400)).isoformat()})
    assert response.status_code == 302
    assert _count(Lead) == 1


def test_item_6_numbers_name_the_real_problem(client, users):
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "codename": "Projekt Kraft",
                                               "power_mw": "1000000"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Högst 10 000 MW." in body and "under noll" not in body
    assert _count(Lead) == 0


# --- item 11: organisation numbers normalised before the length check --------------------------------

@pytest.mark.parametrize("raw", ["16556012-5790", "165560125790", " 556012-5790 ", "556012.5790",
                                 "556012–5790", "５５６０１２－５７９０"])
def test_item_11_organisation_numbers_are_normalised_before_the_length_check_in_forms(
        client, users, raw):
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "codename": "Projekt Orgnr",
                                               "company_name": "Bolaget AB",
                                               "company_orgnr": raw})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Company.orgnr)) == "556012-5790"


def test_item_11_company_edit_form_normalises_the_organisation_number(client, lead):
    login(client, "kumla")
    company = lead.company
    response = client.post(f"/companies/{company.id}/edit", data={
        "name": company.name, "orgnr": "16556012-5790", "version": company.version})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Company, company.id).orgnr == "556012-5790"


@pytest.mark.parametrize("raw", ["16556012-5790", "165560125790", " 556012-5790 ", "556012.5790"])
def test_item_11_api_accepts_organisation_numbers_normalised_before_the_length_check(
        client, users, tokens, raw):
    response = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]), json={
        "source": "direct",
        "description": "Lagerbehov", "codename": "Projekt Api", "company": {"name": "X AB", "orgnr": raw}})
    assert response.status_code == 201, response.json
    assert response.json["company"]["orgnr"] == "556012-5790"


def test_item_1_api_refuses_a_codename_with_a_control_character(client, users, tokens):
    response = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]),
                           json={"source": "direct",
                                 "description": "Lagerbehov", "codename": "Projekt\x0bVT"})
    assert response.status_code == 422
    assert "codename" in response.json["error"]["fields"]
    assert _count(Lead) == 0
