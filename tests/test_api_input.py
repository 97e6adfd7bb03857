"""The JSON API's input layer (issue 13, items 3, 4 and 12): a refused request changes
nothing, `null` never lowers confidentiality, unknown keys are refused, and the answers
keep the documented contract."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.leads.commands import snapshot
from app.leads.models import Activity, Lead
from tests.leads_helpers import bearer, make_lead


@pytest.fixture
def lead(users):
    return make_lead(users["kumla"], "apiinput")


def _patch(client, tokens, lead_id, body):
    return client.patch(f"/api/v1/leads/{lead_id}", json=body, headers=bearer(tokens["kumla"]))


def _stored(lead_id: int) -> dict:
    db.session.expire_all()
    stored = db.session.get(Lead, lead_id)
    return snapshot(stored) | {"version": stored.version, "lost_reason": stored.lost_reason,
                               "decided_on": stored.decided_on}


# --- item 4: PATCH is one transaction ---------------------------------------------------

REFUSED_PATCHES = [
    {"version": 1, "sector": "X", "stage": "lost"},  # lost reason missing
    {"version": 1, "sector": "X", "stage": "lost", "lost_reason": "timeline"},  # comment missing
    {"version": 1, "sector": "X", "stage": "won"},  # decision data missing
    {"version": 1, "sector": "X", "stage": "lost", "lost_reason": "bored",
     "lost_comment": "No"},  # unknown reason
    {"version": 1, "sector": "X", "stage": "won", "decided_on": "2026-10-01",
     "expected_jobs": -1, "investment_msek": 5},
    {"version": 1, "sector": "X", "requirements": {"land_area": {"min": 500, "max": 10}}},
    {"version": 1, "sector": "X", "company_id": 2_000_000},
    {"version": 1, "sector": "X", "confidential": "yes"},
]


@pytest.mark.parametrize("body", REFUSED_PATCHES)
def test_refused_patch_changes_nothing_not_even_the_version(client, tokens, lead, body):
    before = _stored(lead.id)
    response = _patch(client, tokens, lead.id, body)
    assert response.status_code == 422, response.json
    assert _stored(lead.id) == before
    assert _stored(lead.id)["sector"] == "Warehousing" and before["version"] == 1


def test_patch_lost_without_reason_then_retry_with_reason_succeeds(client, tokens, lead):
    assert _patch(client, tokens, lead.id,
                  {"version": 1, "sector": "X", "stage": "lost"}).status_code == 422
    retry = _patch(client, tokens, lead.id, {"version": 1, "sector": "X", "stage": "lost",
                                             "lost_reason": "timeline", "lost_comment": "Too dear"})
    assert retry.status_code == 200, retry.json
    assert retry.json["sector"] == "X" and retry.json["stage"] == "lost"


# --- item 3: null is not false ------------------------------------------------------------

def test_patch_confidential_null_is_refused_and_the_lead_stays_confidential(
        client, tokens, users):
    lead = make_lead(users["kumla"], "secret", confidential=True)
    response = _patch(client, tokens, lead.id, {"version": lead.version, "confidential": None})
    assert response.status_code == 422
    assert "confidential" in response.json["error"]["fields"]
    assert _stored(lead.id)["confidential"] is True


@pytest.mark.parametrize("requirement", ["land_area", "power_mw", "rail_siding"])
def test_patch_must_null_is_refused(client, tokens, lead, requirement):
    response = _patch(client, tokens, lead.id,
                      {"version": 1, "requirements": {requirement: {"must": None}}})
    assert response.status_code == 422
    assert f"requirements.{requirement}.must" in response.json["error"]["fields"]


def test_activity_internal_null_is_refused_and_nothing_stored(client, tokens, lead):
    count = db.session.scalar(sa.select(sa.func.count(Activity.id)))
    response = client.post(f"/api/v1/leads/{lead.id}/activities",
                           json={"kind": "note", "body": "Hemligt", "internal": None},
                           headers=bearer(tokens["kumla"]))
    assert response.status_code == 422
    assert "internal" in response.json["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == count


def test_activity_without_internal_is_internal_by_default(client, tokens, lead):
    response = client.post(f"/api/v1/leads/{lead.id}/activities",
                           json={"kind": "note", "body": "Hemligt"},
                           headers=bearer(tokens["kumla"]))
    assert response.status_code == 201 and response.json["internal"] is True


# --- item 12: the contract ---------------------------------------------------------------

def test_unknown_top_level_key_of_a_lead_is_refused(client, tokens, lead):
    response = _patch(client, tokens, lead.id, {"version": 1, "water_sewage": "banana"})
    assert response.status_code == 422
    assert "water_sewage" in response.json["error"]["fields"]
    assert _stored(lead.id)["version"] == 1


def test_unknown_nested_key_is_refused(client, tokens, lead):
    response = _patch(client, tokens, lead.id,
                      {"version": 1, "requirements": {"land_area": {"minimum": 5}}})
    assert response.status_code == 422
    assert "requirements.land_area.minimum" in response.json["error"]["fields"]


def test_stage_null_is_refused(client, tokens, lead):
    response = _patch(client, tokens, lead.id, {"version": 1, "stage": None})
    assert response.status_code == 422 and "stage" in response.json["error"]["fields"]


def test_requirement_paths_are_kept_in_field_errors(client, tokens, lead):
    response = _patch(client, tokens, lead.id,
                      {"version": 1, "requirements": {"land_area": {"min": "many"}}})
    assert response.status_code == 422
    assert "requirements.land_area.min" in response.json["error"]["fields"]


@pytest.mark.parametrize("value", [True, "5", 1.5])
def test_integers_are_strict(client, tokens, lead, value):
    response = _patch(client, tokens, lead.id, {"version": 1, "expected_jobs": value})
    assert response.status_code == 422 and "expected_jobs" in response.json["error"]["fields"]


def test_a_huge_power_is_refused_with_the_real_problem(client, tokens, lead):
    response = _patch(client, tokens, lead.id,
                      {"version": 1, "requirements": {"power_mw": {"value": 1e6}}})
    assert response.status_code == 422
    message = " ".join(response.json["error"]["fields"]["requirements.power_mw.value"])
    assert "below zero" not in message and "negative" not in message.lower()


def test_malformed_json_is_400(client, tokens, lead):
    response = client.patch(f"/api/v1/leads/{lead.id}", data="{", content_type="application/json",
                            headers=bearer(tokens["kumla"]))
    assert response.status_code == 400 and response.json["error"]["code"]


def test_method_not_allowed_carries_allow(client, tokens, lead):
    response = client.delete(f"/api/v1/leads/{lead.id}", headers=bearer(tokens["kumla"]))
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PATCH"}
    assert response.json["error"]["code"]


def test_site_search_longer_than_documented_is_refused(client, tokens):
    response = client.get("/api/v1/sites", query_string={"q": "x" * 101},
                          headers=bearer(tokens["kumla"]))
    assert response.status_code == 422


def test_companies_with_an_empty_orgnr_answer_as_documented(client, tokens):
    response = client.get("/api/v1/companies", query_string={"orgnr": ""},
                          headers=bearer(tokens["kumla"]))
    document = client.get("/api/v1/openapi.json").json
    parameter = next(p for p in document["paths"]["/companies"]["get"]["parameters"]
                     if p["name"] == "orgnr")
    assert parameter["schema"]["minLength"] == 1
    assert response.status_code == 422


def test_request_bodies_forbid_unknown_keys_in_the_document(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    for name in ("LeadInput", "LeadPatch", "ActivityInput", "FollowUpInput", "ShareInput",
                 "SiteCreate", "SitePatch"):
        assert schemas[name]["additionalProperties"] is False, name


SITE = {"name": "API-tomten", "municipality": "kumla", "kind": "land", "lat": 59.138,
        "lon": 15.118}


def test_a_site_with_a_huge_power_is_refused_with_the_real_problem(client, tokens):
    response = client.post("/api/v1/sites", json={**SITE, "power_mw": 1e6},
                           headers=bearer(tokens["kumla"]))
    assert response.status_code == 422
    message = " ".join(response.json["error"]["fields"]["power_mw"])
    assert "10" in message and "noll" not in message and "zero" not in message


@pytest.mark.parametrize("field", ["public", "price_public", "name", "kind"])
def test_site_null_for_a_non_nullable_field_is_refused(client, tokens, field):
    response = client.post("/api/v1/sites", json={**SITE, field: None},
                           headers=bearer(tokens["kumla"]))
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_unknown_query_parameter_is_refused(client, tokens):
    response = client.get("/api/v1/leads", query_string={"stag": "won"},
                          headers=bearer(tokens["kumla"]))
    assert response.status_code == 400 and "stag" in response.json["error"]["fields"]


@pytest.mark.parametrize("query", [{"stage": "gone"}, {"municipality": "malmo"},
                                   {"sort": "random"}, {"q": "x" * 201}])
def test_lead_list_filters_outside_the_document_are_refused(client, tokens, query):
    response = client.get("/api/v1/leads", query_string=query, headers=bearer(tokens["kumla"]))
    assert response.status_code == 422 and set(response.json["error"]["fields"]) == set(query)


def test_orgnr_is_normalised_before_any_length_check(client, tokens):
    response = client.post("/api/v1/leads", json={"source": "direct", "company": {
        "name": "Bolaget AB", "orgnr": "16556016-0680"}}, headers=bearer(tokens["kumla"]))
    assert response.status_code == 201, response.json
    assert response.json["company"]["orgnr"] == "556016-0680"


def test_control_characters_in_api_text_are_field_errors(client, tokens, lead):
    response = _patch(client, tokens, lead.id, {"version": 1, "codename": "Projekt\x0bVT"})
    assert response.status_code == 422 and "codename" in response.json["error"]["fields"]
    assert _stored(lead.id)["codename"] == "Projekt apiinput"
