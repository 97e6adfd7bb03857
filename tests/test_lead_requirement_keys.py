"""The lead's further requirements (issue 15): contiguous area, airport distance, price
ceiling, "a possible rail siding will do" and how long the company can wait for power —
through the API and the form, with bad input refused, and on into matching."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.candidates import service as candidates
from app.extensions import db
from app.leads.models import Lead
from tests.factories import make_site
from tests.leads_helpers import bearer, login, make_lead

NEW_KEYS = {
    "contiguous_area": {"value": 40_000, "must": True},
    "airport_km": {"value": 12.5, "must": False},
    "price_max": {"value": 650, "must": True},
    "rail_accept_possible": {"value": True, "must": True},
    "power_lead_time_months": {"value": 18, "must": False},
}


def _lead_row(lead_id: int) -> Lead:
    db.session.expire_all()
    return db.session.get(Lead, lead_id)


def test_the_new_keys_go_in_and_come_back_through_the_api(client, users, tokens):
    body = {"source": "direct", "description": "Lagerbehov", "requirements": {
        **NEW_KEYS, "rail_siding": {"value": True, "must": True},
        "power_mw": {"value": 5.0, "must": False}}}
    created = client.post("/api/v1/leads", json=body, headers=bearer(tokens["kumla"]))
    assert created.status_code == 201, created.json
    stated = created.json["requirements"]
    for key, value in NEW_KEYS.items():
        assert stated[key] == value, key
    lead = _lead_row(created.json["id"])
    assert (lead.contiguous_m2, lead.contiguous_must, lead.airport_km_max, lead.price_max_sek_m2,
            lead.price_must, lead.rail_accept_possible, lead.power_lead_time_months) == (
        40_000, True, 12.5, 650, True, True, 18)

    patched = client.patch(f"/api/v1/leads/{lead.id}", headers=bearer(tokens["kumla"]), json={
        "version": created.json["version"],
        "requirements": {"price_max": {"value": None}, "airport_km": {"must": True}}})
    assert patched.status_code == 200, patched.json
    assert patched.json["requirements"]["price_max"] == {"value": None, "must": True}
    assert patched.json["requirements"]["airport_km"] == {"value": 12.5, "must": True}
    fetched = client.get(f"/api/v1/leads/{lead.id}", headers=bearer(tokens["kumla"]))
    assert fetched.json["requirements"]["contiguous_area"] == NEW_KEYS["contiguous_area"]


@pytest.mark.parametrize(("requirements", "path"), [
    ({"contiguous_area": {"value": -1}}, "requirements.contiguous_area.value"),
    ({"airport_km": {"value": 5000.0}}, "requirements.airport_km.value"),
    ({"price_max": {"value": "cheap"}}, "requirements.price_max.value"),
    ({"power_lead_time_months": {"value": 1.5}}, "requirements.power_lead_time_months.value"),
    ({"power_lead_time_months": {"value": 999}}, "requirements.power_lead_time_months.value"),
    ({"rail_accept_possible": {"value": "yes"}}, "requirements.rail_accept_possible.value"),
    ({"price_max": {"must": None}}, "requirements.price_max.must"),
    ({"rail_siding": {"must": True}, "rail_accept_possible": {"must": False}},
     "requirements.rail_accept_possible.must"),
])
def test_bad_values_of_the_new_keys_are_422_and_change_nothing(client, users, tokens,
                                                                requirements, path):
    lead = make_lead(users["kumla"], "nycklar")
    before = (lead.version, lead.price_max_sek_m2, lead.rail_must)
    response = client.patch(f"/api/v1/leads/{lead.id}", headers=bearer(tokens["kumla"]),
                            json={"version": lead.version, "requirements": requirements})
    assert response.status_code == 422, response.json
    assert path in response.json["error"]["fields"]
    lead = _lead_row(lead.id)
    assert (lead.version, lead.price_max_sek_m2, lead.rail_must) == before


def test_the_form_stores_the_new_keys_and_the_lead_page_shows_them(client, users):
    login(client, "kumla")
    response = client.post("/leads/new", data={
        "source": "direct",
        "description": "Lagerbehov", "codename": "Projekt Nycklar", "contiguous_m2": "45000",
        "contiguous_must": "y", "airport_km_max": "20", "price_max_sek_m2": "700",
        "price_must": "y", "rail_siding": "yes", "rail_accept_possible": "y",
        "power_mw": "4", "power_lead_time_months": "24"})
    assert response.status_code == 302, response.get_data(as_text=True)
    lead = db.session.scalar(sa.select(Lead).where(Lead.codename == "Projekt Nycklar"))
    assert (lead.contiguous_m2, lead.contiguous_must, lead.airport_km_max, lead.price_max_sek_m2,
            lead.price_must, lead.rail_accept_possible, lead.power_lead_time_months) == (
        45_000, True, 20.0, 700, True, True, 24)
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Största sammanhängande markareal (m²)" in page and "45\u00a0000" in page
    assert "Högsta markpris (kr/m²)" in page and "möjligt räcker" in page
    assert "kan vänta 24 månader" in page


@pytest.mark.parametrize(("field", "value", "swedish"), [
    ("contiguous_m2", "-5", "under noll"),
    ("power_lead_time_months", "1000", "240"),
    ("price_max_sek_m2", "gratis", "heltal"),
])
def test_bad_form_values_of_the_new_keys_are_swedish_field_errors(client, users, field, value,
                                                                   swedish):
    login(client, "kumla")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Lead))
    response = client.post("/leads/new", data={"source": "direct", "description": "Lagerbehov", field: value})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'id="{field}"' in body and "is-invalid" in body
    assert swedish in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lead)) == before


def test_matching_reads_the_new_keys(users):
    lead = make_lead(users["kumla"], "matchning")
    lead.price_max_sek_m2, lead.price_must = 500, True
    lead.rail_siding, lead.rail_must, lead.rail_accept_possible = True, True, True
    lead.contiguous_m2, lead.contiguous_must = 30_000, True
    lead.airport_km_max = 5.0  # the sites lie about 11 km from Örebro Airport
    db.session.commit()
    make_site("kumla", name="Dyr", price_sek_m2=900, rail_siding="possible",
              contiguous_area_m2=50_000)
    make_site("kumla", name="Möjligt spår", price_sek_m2=400, rail_siding="possible",
              contiguous_area_m2=50_000)
    make_site("kumla", name="Splittrad", price_sek_m2=400, rail_siding="existing",
              contiguous_area_m2=10_000)
    needs = candidates.needs_of(lead)
    assert (needs.price_max_sek_m2, needs.rail_accept_possible, needs.contiguous_m2,
            needs.airport_km_max) == (500, True, 30_000, 5.0)
    page = candidates.match_page(users["kumla"], needs, shown=10)
    assert [m.site.name for m in page.fitting] == ["Möjligt spår"]
    (fitting,) = page.fitting
    verdicts = {c.key: c.verdict for c in fitting.criteria}
    assert verdicts["rail_siding"] == "pass" and verdicts["airport_km"] == "fail"
    unfit = {m.site.name: {c.key for c in m.failing}
             for m in candidates.unfit_matches(users["kumla"], needs)}
    assert unfit == {"Dyr": {"price"}, "Splittrad": {"contiguous_area"}}
