"""Site facts for matching (issue 15, migration 0022): detaljplan stages, readiness,
contiguous area, power obtainable later; in the form, the API and the matching."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.auth.service import issue_api_token
from app.candidates import service as candidates
from app.extensions import db
from app.sites.models import DetaljplanStatus, Readiness, Site
from tests.factories import make_site
from tests.leads_helpers import bearer, login, make_lead


def test_the_three_old_detaljplan_values_become_stages(test_databases):
    url = test_databases.empty()
    application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with application.app_context():
        upgrade(revision="0021")
        with db.engine.begin() as connection:
            kumla = connection.scalar(sa.text("select id from municipalities where slug='kumla'"))
            for name, status in (("a", "in_force"), ("b", "in_progress"), ("c", "none"),
                                 ("d", None)):
                connection.execute(sa.text(
                    "insert into sites (name, municipality_id, kind, lat, lon, price_public, "
                    "status, owner, public, version, created_at, updated_at, detaljplan_status) "
                    "values (:name, :m, 'land', 59.1, 15.1, false, 'available', 'municipal', "
                    "false, 1, '2026-01-01', '2026-01-01', :status)"),
                    {"name": name, "m": kumla, "status": status})
        upgrade()
        with db.engine.connect() as connection:
            stages = {name: status for name, status in connection.execute(sa.text(
                "select name, detaljplan_status from sites order by name"))}
        db.engine.dispose()
    assert stages == {"a": "laga_kraft", "b": "samrad", "c": "none", "d": None}


def test_the_site_form_and_page_carry_the_new_facts(client, users):
    site = make_site("kumla", name="Via 9")
    login(client, "kumla")
    page = client.get(f"/sites/{site.id}/edit").get_data(as_text=True)
    for name in ("contiguous_area_m2", "readiness", "detaljplan_id", "detaljplan_in_force_on",
                 "power_expandable_mw", "power_lead_time_months"):
        assert f'name="{name}"' in page
    assert '<option value="granskning">Granskning</option>' in page
    site.contiguous_area_m2, site.readiness = 40_000, Readiness.PLANNED
    site.detaljplan_status, site.detaljplan_id = DetaljplanStatus.LAGA_KRAFT, "DP 12"
    site.detaljplan_in_force_on = date(2024, 5, 2)
    site.power_mw, site.power_expandable_mw, site.power_lead_time_months = 2.0, 4.0, 12
    db.session.commit()
    shown = client.get(f"/sites/{site.id}").get_data(as_text=True)
    assert "40\u00a0000 m²" in shown or "40 000 m²" in shown
    assert "Laga kraft (DP 12), laga kraft sedan" in shown
    assert "Planerad" in shown and "4 MW mer inom 12 månader" in shown


def test_the_api_reads_and_writes_the_new_facts(client, users):
    headers = bearer(issue_api_token(users["kumla"]))
    body: dict[str, Any] = {"name": "API-fakta", "municipality": "kumla", "kind": "land",
                            "lat": 59.138, "lon": 15.118, "contiguous_area_m2": 30_000,
                            "readiness": "ready", "detaljplan_status": "antagen",
                            "detaljplan_id": "DP 7", "detaljplan_in_force_on": "2025-03-01",
                            "power_expandable_mw": 3.5, "power_lead_time_months": 18}
    created = client.post("/api/v1/sites", headers=headers, json=body)
    assert created.status_code == 201, created.json
    for name in ("contiguous_area_m2", "readiness", "detaljplan_status", "detaljplan_id",
                 "detaljplan_in_force_on", "power_expandable_mw", "power_lead_time_months"):
        assert created.json[name] == body[name]
    refused = client.post("/api/v1/sites", headers=headers,
                          json={**body, "name": "x", "detaljplan_status": "in_force"})
    assert refused.status_code == 422


@pytest.mark.parametrize(("lead_time", "verdict"), [(12, "pass"), (30, "fail")])
def test_matching_reads_power_obtainable_later(users, lead_time, verdict):
    lead = make_lead(users["kumla"], "effekt")
    lead.power_mw, lead.power_must = 5, True
    lead.desired_start = date(2028, 12, 1)
    db.session.commit()
    make_site("kumla", name="Utbyggbar", power_mw=2.0, power_expandable_mw=4.0,
              power_lead_time_months=lead_time, detaljplan_status=DetaljplanStatus.GRANSKNING)
    needs = candidates.needs_of(lead)
    page = candidates.match_page(users["kumla"], needs, shown=10)
    (match,) = (page.fitting if verdict == "pass"
                else candidates.unfit_matches(users["kumla"], needs))
    power = next(c for c in match.criteria if c.key == "power")
    assert power.verdict == verdict
    plan = next(c for c in match.criteria if c.key == "detaljplan")
    assert plan.verdict == "pass"  # granskning, with the start two years away


def test_the_match_page_filters_by_readiness(client, users):
    lead = make_lead(users["kumla"], "beredskap")
    make_site("kumla", name="Klar tomt", readiness=Readiness.READY)
    make_site("kumla", name="Idétomt", readiness=Readiness.IDEA)
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}/matches?readiness=idea").get_data(as_text=True)
    assert "Idétomt" in page and "Klar tomt" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 2
