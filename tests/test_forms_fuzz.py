"""Form fuzzing (issue 13, "Done when"): hypothesis fills each create and edit form with
control characters, huge numbers, years 0001 and 9999, garbage e-mails and phones. No
answer is a 500, and every stored value keeps the input rules (`flask data check` finds
nothing). Bounded (30 examples a form) and run in the SQLite pass only."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.data_check import check
from app.extensions import db
from app.leads.models import Company, FollowUp, Lead
from app.sites.models import Site
from tests.factories import TEST_PASSWORD, make_site
from tests.leads_helpers import make_lead
from tests.test_sites_pages import form_data as site_form_data

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                       reason="sqlite_only: runs in the SQLite pass (TEST_DATABASE_URL is set)"),
]

FUZZ = settings(max_examples=30, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])

NASTY = ["Projekt\x0bVT", "a\x00b", "x\x0cy", "\x1b[31m", "rtl\u202eexe", "a\u2066b", "\x85",
         "  ", "", "x" * 6000, "Rad\r\nRad", "e\u0301", "<script>alert(1)</script>", "${7*7}"]
# Any character but lone surrogates (the test client cannot encode them).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TEXT = st.one_of(ANY_TEXT, st.sampled_from(NASTY))
YEARS = st.sampled_from(["0001", "0999", "1989", "2026", "2100", "9999"])
DATE = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.builds(lambda year, rest: f"{year}{rest}", YEARS, st.sampled_from(["-01-01", "-12-31"])),
    st.sampled_from(["", "banan", "2026-02-30", "10000-01-01"]))
DATETIME = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    st.builds(lambda year: f"{year}-01-01T00:00", YEARS),
    st.sampled_from(["", "9999-12-31T23:59", "0001-01-01T00:00", "igår"]))
NUMBER = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "1e400", "-0", "nan", "1 000", "12,5", "0x10", "10000.0001"]))
EMAIL = st.one_of(st.emails().map(str), TEXT, st.sampled_from(["not-an-email", "a@b", "@x.se"]))
PHONE = st.one_of(st.from_regex(r"\+?[0-9 ()-]{0,20}", fullmatch=True), TEXT,
                  st.sampled_from(["💥💥", "019-12 34 56", "+46 70 123 45 67", "12"]))
ORGNR = st.one_of(TEXT, st.sampled_from(["16556012-5790", "５５６０１２－５７９０", "556012.5790",
                                         "811228-9874", "556012-5791"]))


def _assert_stored_values_keep_the_rules() -> None:
    db.session.rollback()
    db.session.expire_all()
    problems = check()
    assert problems == [], [str(problem) for problem in problems]


def _post(client, url: str, data: dict) -> None:
    response = client.post(url, data=data)
    assert response.status_code < 500, (url, data)
    _assert_stored_values_keep_the_rules()


def _client(app, who: str):
    client = app.test_client()
    response = client.post("/login", data={"email": f"{who}@test.example",
                                           "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


LEAD_FIELDS = {
    "codename": TEXT, "registration_number": TEXT, "sector": TEXT, "confidential_basis": TEXT,
    "description": TEXT, "company_name": TEXT, "company_orgnr": ORGNR, "company_country": TEXT,
    "company_sector": TEXT, "company_website": TEXT, "received_on": DATE, "desired_start": DATE,
    "land_min_m2": NUMBER, "land_max_m2": NUMBER, "building_m2": NUMBER,
    "motorway_km_max": NUMBER, "terminal_km_max": NUMBER, "power_mw": NUMBER,
    "expected_jobs": NUMBER, "investment_msek": NUMBER,
}


@pytest.fixture
def kumla(app, users):
    return _client(app, "kumla")


@pytest.fixture
def lead(users):
    return make_lead(users["kumla"], "fuzz")


def test_new_lead_form_fuzz(kumla):
    @FUZZ
    @given(st.fixed_dictionaries({}, optional=LEAD_FIELDS))
    def run(data):
        _post(kumla, "/leads/new", {"source": "direct", **data})
    run()


def test_edit_lead_form_fuzz(kumla, lead):
    @FUZZ
    @given(st.fixed_dictionaries({}, optional=LEAD_FIELDS))
    def run(data):
        version = db.session.scalar(sa.select(Lead.version).where(Lead.id == lead.id))
        _post(kumla, f"/leads/{lead.id}/edit",
              {"source": "direct", "codename": "Projekt Fuzz", "version": version, **data})
    run()


def test_stage_form_fuzz(kumla, lead):
    @FUZZ
    @given(st.fixed_dictionaries({"stage": st.sampled_from(["new", "contact", "won", "lost"])},
                                 optional={"lost_reason": st.sampled_from(["", "price", "other"]),
                                           "lost_comment": TEXT, "decided_on": DATE,
                                           "expected_jobs": NUMBER, "investment_msek": NUMBER}))
    def run(data):
        version = db.session.scalar(sa.select(Lead.version).where(Lead.id == lead.id))
        _post(kumla, f"/leads/{lead.id}/stage", {"version": version, **data})
    run()


def test_activity_form_fuzz(kumla, lead):
    @FUZZ
    @given(st.fixed_dictionaries({"kind": st.sampled_from(["note", "meeting", "call"])},
                                 optional={"body": TEXT, "at": DATETIME,
                                           "internal": st.sampled_from(["y", ""])}))
    def run(data):
        _post(kumla, f"/leads/{lead.id}/activities", data)
    run()


def test_follow_up_forms_fuzz(kumla, lead, users):
    followup = FollowUp(lead_id=lead.id, title="Ring", due_on=lead.received_on,
                        assignee_id=users["kumla"].id)
    db.session.add(followup)
    db.session.commit()
    followup_id = followup.id

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={"title": TEXT, "due_on": DATE,
                                               "remind_at": DATETIME}),
           DATETIME)
    def run(data, remind_at):
        _post(kumla, f"/leads/{lead.id}/followups", data)
        _post(kumla, f"/followups/{followup_id}/reminder", {"remind_at": remind_at})
    run()


def test_contact_form_fuzz(kumla, lead):
    @FUZZ
    @given(st.fixed_dictionaries({}, optional={"name": TEXT, "title": TEXT, "email": EMAIL,
                                               "phone": PHONE}))
    def run(data):
        _post(kumla, f"/leads/{lead.id}/contacts", data)
    run()


def test_share_form_fuzz(app, users):
    arboga = _client(app, "arboga")
    lead = make_lead(users["arboga"], "delad", confidential=True)

    @FUZZ
    @given(st.fixed_dictionaries(
        {"municipalities": st.sampled_from(["kumla", "hallsberg"]),
         "level": st.sampled_from(["anonymised", "full"])},
        optional={"basis": st.sampled_from(["", "consent", "decision"]), "basis_by": TEXT,
                  "basis_on": DATE, "basis_reason": TEXT}))
    def run(data):
        _post(arboga, f"/leads/{lead.id}/shares", data)
    run()


def test_company_form_fuzz(kumla, lead):
    company_id = lead.company_id

    @FUZZ
    @given(st.fixed_dictionaries({"name": TEXT},
                                 optional={"orgnr": ORGNR, "country": TEXT, "sector": TEXT,
                                           "website": TEXT}))
    def run(data):
        version = db.session.scalar(sa.select(Company.version).where(Company.id == company_id))
        _post(kumla, f"/companies/{company_id}/edit", {"version": version, **data})
    run()


SITE_FIELDS = {
    "name": TEXT, "property_designation": TEXT, "address": TEXT, "permitted_use": TEXT,
    "contact_person": TEXT, "description": TEXT, "available_from": DATE,
    "land_area_m2": NUMBER, "building_area_m2": NUMBER, "price_sek_m2": NUMBER,
    "power_mw": NUMBER, "lat": NUMBER, "lon": NUMBER,
}


def test_new_site_form_fuzz(kumla):
    @FUZZ
    @given(st.fixed_dictionaries({}, optional=SITE_FIELDS))
    def run(data):
        _post(kumla, "/sites/new", site_form_data(**data))
    run()


def test_edit_site_form_fuzz(kumla):
    site_id = make_site("kumla").id

    @FUZZ
    @given(st.fixed_dictionaries({}, optional=SITE_FIELDS))
    def run(data):
        version = db.session.scalar(sa.select(Site.version).where(Site.id == site_id))
        _post(kumla, f"/sites/{site_id}/edit", site_form_data(version=version, **data))
    run()


def test_user_forms_fuzz(app, users):
    admin = _client(app, "admin")
    kumla = _client(app, "kumla")
    viewer_id = users["viewer"].id

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={"name": TEXT, "email": EMAIL}), TEXT)
    def run(data, name):
        _post(admin, "/admin/users/new", {"municipality": "kumla", "role": "viewer",
                                          "locale": "sv", **data})
        _post(admin, f"/admin/users/{viewer_id}", {"municipality": "kumla", "role": "viewer",
                                                   "locale": "sv", "active": "y", "name": name})
        _post(kumla, "/profile", {"name": name, "locale": "sv"})
    run()
