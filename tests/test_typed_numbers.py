"""Issue 18, numbers as a Swedish user types them: one parser for every form and query
string ("50 000", "50000", "5,5", "5.5"), one clear message for what it does not
understand, and the stored number shown again the way the user's language writes it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.input_rules import InputRejected, parse_typed_number
from app.leads.models import Lead
from tests.factories import make_site
from tests.leads_helpers import login, make_lead


@pytest.mark.parametrize(("typed", "whole", "number"), [
    ("50 000", True, 50_000), ("50000", True, 50_000), ("50\u00a0000", True, 50_000),
    ("50\u202f000", True, 50_000), (" 1 234 567 ", True, 1_234_567), ("5,5", False, 5.5),
    ("5.5", False, 5.5), ("0.125", False, 0.125), ("12 000,5", False, 12_000.5),
    ("7,0", True, 7), ("", True, None), ("   ", False, None)])
def test_what_people_type_is_read(app, typed, whole, number):
    with app.test_request_context():
        assert parse_typed_number(typed, whole=whole) == number


@pytest.mark.parametrize(("typed", "whole", "message"), [
    ("femtio tusen", False,
     "”femtio tusen” är inte ett tal: skriv siffror, t.ex. 50 000 eller 5,5."),
    ("femtio tusen", True, "”femtio tusen” är inte ett heltal: skriv siffror, t.ex. 50 000."),
    ("12.000", False,
     "”12.000” kan läsas på två sätt: skriv 12 000 för tusental eller 12,0 för ett decimaltal."),
    ("1.234.567", True, "Skriv tusental med mellanslag, t.ex. 1 234 567."),
    ("5,5", True, "Skriv ett heltal."),
    ("1 2345", True, "”1 2345” är inte ett heltal: skriv siffror, t.ex. 50 000.")])
def test_what_it_cannot_read_gets_one_clear_swedish_message(app, typed, whole, message):
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        with pytest.raises(InputRejected) as rejected:
            parse_typed_number(typed, whole=whole)
        assert str(rejected.value) == message


def test_the_lead_form_reads_swedish_numbers_and_shows_them_again(client, users):
    lead = make_lead(users["kumla"], "siffror")
    login(client, "kumla")
    edit = client.get(f"/leads/{lead.id}/edit").get_data(as_text=True)
    assert 'name="land_min_m2" type="text"' in edit and 'inputmode="numeric"' in edit
    assert 'value="10 000"' in edit  # the stored 10000, grouped
    response = client.post("/leads/new", data={
        "source": "direct", "description": "Lagerbehov", "codename": "Projekt Tal", "land_min_m2": "50 000",
        "land_max_m2": "80000", "power_mw": "5,5", "motorway_km_max": "2.5"})
    assert response.status_code == 302
    created = db.session.scalar(sa.select(Lead).where(Lead.codename == "Projekt Tal"))
    assert (created.land_min_m2, created.land_max_m2, created.power_mw,
            created.motorway_km_max) == (50_000, 80_000, 5.5, 2.5)
    edit = client.get(f"/leads/{created.id}/edit").get_data(as_text=True)
    assert 'value="5,5"' in edit and 'value="80 000"' in edit


@pytest.mark.parametrize(("typed", "message"), [
    ("femtio tusen", "”femtio tusen” är inte ett heltal"),
    ("12.000", "”12.000” kan läsas på två sätt")])
def test_a_number_the_form_cannot_read_is_one_message_and_nothing_stored(client, users, typed,
                                                                         message):
    login(client, "kumla")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Lead))
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "land_min_m2": typed})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.count("invalid-feedback") == 1 and message in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lead)) == before


def test_the_site_filter_reads_50_000_and_says_what_it_cannot_read(client, users):
    make_site("kumla", name="Liten tomt", land_area_m2=20_000)
    make_site("kumla", name="Stor tomt", land_area_m2=90_000)
    login(client, "kumla")
    page = client.get("/sites?min_area=50 000").get_data(as_text=True)
    assert "Stor tomt" in page and "Liten tomt" not in page
    response = client.get("/sites?min_area=femtio")
    assert response.status_code == 400
    assert "”femtio” är inte ett heltal" in response.get_data(as_text=True)
