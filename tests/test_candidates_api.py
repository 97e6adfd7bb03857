"""The candidates API (issue 15): matches with their explanations, candidates under the
access rules, optimistic locking."""

from __future__ import annotations

import pytest

from app.auth.service import issue_api_token
from app.extensions import db
from app.leads.models import ShareLevel
from app.sites.models import RailSiding
from tests.factories import make_site
from tests.leads_helpers import bearer, make_lead, share


@pytest.fixture
def lead(users):
    lead = make_lead(users["kumla"], "api-match")
    lead.land_min_m2, lead.land_max_m2, lead.land_must = 50_000, None, True
    lead.rail_siding = True
    db.session.commit()
    return lead


@pytest.fixture
def sites(app):
    return {"fits": make_site("kumla", name="Via 3", land_area_m2=60_000,
                              rail_siding=RailSiding.EXISTING),
            "small": make_site("kumla", name="Lilla", land_area_m2=1_000),
            "partner": make_site("hallsberg", name="Rala", land_area_m2=90_000,
                                 lat=59.07, lon=15.11)}


def test_matches_rank_fitting_sites_first_with_explanations(client, users, lead, sites):
    headers = bearer(issue_api_token(users["kumla"]))
    answer = client.get(f"/api/v1/leads/{lead.id}/matches", headers=headers)
    assert answer.status_code == 200
    items = answer.json["items"]
    assert [item["site_name"] for item in items] == ["Via 3", "Rala", "Lilla"]
    assert [item["fits"] for item in items] == [True, True, False]
    assert answer.json["total"] == 3
    land = next(c for c in items[0]["criteria"] if c["key"] == "land_area")
    assert land == {"key": "land_area", "verdict": "pass", "must": True,
                    "explanation": "Markareal 60\u00a0000 m², önskat ≥ 50\u00a0000 m²"}
    rail = next(c for c in items[1]["criteria"] if c["key"] == "rail_siding")
    assert rail["verdict"] == "unknown"
    limited = client.get(f"/api/v1/leads/{lead.id}/matches?limit=1", headers=headers)
    assert [item["site_name"] for item in limited.json["items"]] == ["Via 3"]
    assert client.get(f"/api/v1/leads/{lead.id}/matches?limit=0", headers=headers).status_code == 422


def test_propose_list_and_change_a_candidate(client, users, lead, sites):
    headers = bearer(issue_api_token(users["kumla"]))
    created = client.post(f"/api/v1/leads/{lead.id}/candidates", headers=headers,
                          json={"site_id": sites["fits"].id, "note": "Nära E20"})
    assert created.status_code == 201
    candidate = created.json
    assert (candidate["status"], candidate["note"], candidate["version"]) == ("proposed",
                                                                              "Nära E20", 1)
    twice = client.post(f"/api/v1/leads/{lead.id}/candidates", headers=headers,
                        json={"site_id": sites["fits"].id})
    assert twice.status_code == 422 and "site_id" in twice.json["error"]["fields"]
    listed = client.get(f"/api/v1/leads/{lead.id}/candidates", headers=headers).json["items"]
    assert [c["id"] for c in listed] == [candidate["id"]]
    no_reason = client.patch(f"/api/v1/candidates/{candidate['id']}", headers=headers,
                             json={"version": 1, "status": "rejected"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["error"]["fields"]
    saved = client.patch(f"/api/v1/candidates/{candidate['id']}", headers=headers,
                         json={"version": 1, "status": "visited"})
    assert saved.status_code == 200 and saved.json["version"] == 2
    stale = client.patch(f"/api/v1/candidates/{candidate['id']}", headers=headers,
                         json={"version": 1, "status": "selected"})
    assert stale.status_code == 409
    assert client.get(f"/api/v1/leads/{lead.id}/candidates",
                      headers=headers).json["items"][0]["status"] == "visited"


def test_a_partner_sees_only_its_own_candidates_and_proposes_only_its_own_sites(
        client, users, lead, sites):
    share(lead, "hallsberg", ShareLevel.ANONYMISED)
    owner = bearer(issue_api_token(users["kumla"]))
    partner = bearer(issue_api_token(users["hallsberg"]))
    client.post(f"/api/v1/leads/{lead.id}/candidates", headers=owner,
                json={"site_id": sites["fits"].id})
    refused = client.post(f"/api/v1/leads/{lead.id}/candidates", headers=partner,
                          json={"site_id": sites["fits"].id})
    assert refused.status_code == 403
    own = client.post(f"/api/v1/leads/{lead.id}/candidates", headers=partner,
                      json={"site_id": sites["partner"].id})
    assert own.status_code == 201
    seen = client.get(f"/api/v1/leads/{lead.id}/candidates", headers=partner).json["items"]
    assert [c["site_name"] for c in seen] == ["Rala"]
    decided = client.patch(f"/api/v1/candidates/{own.json['id']}", headers=partner,
                           json={"version": 1, "status": "selected"})
    assert decided.status_code == 403
    outsider = bearer(issue_api_token(users["arboga"]))
    assert client.get(f"/api/v1/leads/{lead.id}/matches", headers=outsider).status_code == 404
    assert client.patch(f"/api/v1/candidates/{own.json['id']}", headers=outsider,
                        json={"version": 1}).status_code == 404
