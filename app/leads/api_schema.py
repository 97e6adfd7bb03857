"""The OpenAPI description of the lead endpoints: the request bodies are generated from
the models of app/leads/api_inputs.py; the answers are described here."""

from __future__ import annotations

from typing import Any

from app.api.common import MAX_PAGE, register_openapi
from app.api.inputs import model_schemas
from app.leads.api_inputs import INPUT_MODELS
from app.leads.models import (
    ActivityKind,
    LostReason,
    ShareBasis,
    ShareLevel,
    ShareResponse,
    Source,
    Stage,
)

SLUGS = ["orebro", "hallsberg", "kumla", "arboga"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "Malformed request", 401: "Missing or invalid bearer token",
             403: "Not allowed for this user", 404: "No such lead (or not visible)",
             409: "Stale version: someone saved first", 422: "Field errors"}
    return {str(code): _json(_ref("Error"), texts[code]) for code in codes}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _req(value: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["value", "must"],
            "properties": {"value": _nullable(value), "must": {"type": "boolean"}}}


DATE = {"type": "string", "format": "date"}

REQUIREMENTS = {
    "type": "object",
    "required": ["land_area", "building_area", "rail_siding", "motorway_km", "terminal_km",
                 "power_mw", "water_sewage", "preferred_municipalities", "desired_start"],
    "properties": {
        "land_area": {"type": "object", "required": ["min", "max", "must"], "properties": {
            "min": _nullable({"type": "integer"}), "max": _nullable({"type": "integer"}),
            "must": {"type": "boolean"}}},
        "building_area": _req({"type": "integer"}),
        "rail_siding": _req({"type": "boolean"}),
        "motorway_km": _req({"type": "number"}),
        "terminal_km": _req({"type": "number"}),
        "power_mw": _req({"type": "number"}),
        "water_sewage": _req({"type": "boolean"}),
        "preferred_municipalities": {"type": "object", "required": ["value", "must"],
                                     "properties": {"value": {"type": "array", "items": {
                                         "type": "string", "enum": SLUGS}},
                                         "must": {"type": "boolean"}}},
        "desired_start": _req(DATE),
    },
}
COMPANY = {
    "type": "object",
    "required": ["id", "name", "orgnr", "country", "sector", "website", "municipality"],
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        # the municipality whose register holds it (the same orgnr may be in several)
        "municipality": {"type": "string", "enum": SLUGS},
        "orgnr": _nullable({"type": "string", "pattern": r"^\d{6}-\d{4}$"}),
        "country": {"type": "string"}, "sector": _nullable({"type": "string"}),
        "website": _nullable({"type": "string"}),
    },
}
SHARE_BASIS = {
    "type": "object", "required": ["kind", "by", "on"],
    "description": "Why a confidential lead may be shared in full: the company's consent "
                   "(OSL 12:2) or a secrecy review; `reason` is required for a review.",
    "properties": {
        "kind": {"type": "string", "enum": [v.value for v in ShareBasis]},
        "by": {"type": "string", "minLength": 1, "maxLength": 200},
        "on": DATE,
        "reason": _nullable({"type": "string", "maxLength": 1000}),
    },
}
SHARE = {
    "type": "object", "required": ["municipality", "level", "response", "response_comment",
                                   "responded_at", "basis"],
    "properties": {
        "basis": _nullable(SHARE_BASIS),
        "municipality": {"type": "string", "enum": SLUGS},
        "level": {"type": "string", "enum": [v.value for v in ShareLevel]},
        "response": _nullable({"type": "string", "enum": [v.value for v in ShareResponse]}),
        "response_comment": _nullable({"type": "string"}),
        "responded_at": _nullable({"type": "string", "format": "date-time"}),
    },
}
LEAD = {
    "type": "object",
    "required": ["id", "codename", "stage", "municipality", "owner", "source", "received_on",
                 "sector", "confidential", "confidential_basis", "confidential_marked_at",
                 "share_level", "requirements", "expected_jobs",
                 "investment_msek", "version", "stage_changed_at", "lost_reason", "decided_on"],
    "properties": {
        "id": {"type": "integer"},
        "codename": {"type": "string"},
        "stage": {"type": "string", "enum": [v.value for v in Stage]},
        "municipality": {"type": "string", "enum": SLUGS},
        "owner": {"type": "object", "required": ["id", "name"],
                  "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "source": {"type": "string", "enum": [v.value for v in Source]},
        "received_on": DATE,
        "sector": _nullable({"type": "string"}),
        "confidential": {"type": "boolean"},
        "confidential_basis": _nullable({"type": "string"}),
        "confidential_marked_at": _nullable({"type": "string", "format": "date-time"}),
        "share_level": {"type": "string", "enum": ["owner", "full", "anonymised"]},
        "requirements": _ref("LeadRequirements"),
        "expected_jobs": _nullable({"type": "integer"}),
        "investment_msek": _nullable({"type": "number"}),
        "version": {"type": "integer"},
        "stage_changed_at": {"type": "string", "format": "date-time"},
        "lost_reason": _nullable({"type": "string", "enum": [v.value for v in LostReason]}),
        "decided_on": _nullable(DATE),
        "company": _nullable(_ref("Company")),
        "description": _nullable({"type": "string"}),
        "registration_number": _nullable({"type": "string"}),
        "shares": {"type": "array", "items": _ref("LeadShare")},
        # only when creating: other municipalities' open, non-confidential matters with the
        # same organisation number ("Hallsberg has an open matter with this company (…)")
        "regional_hints": {"type": "array", "items": {"type": "string"}},
    },
}
ACTIVITY = {
    "type": "object", "required": ["id", "lead_id", "kind", "body", "internal", "at", "author_id"],
    "properties": {
        "id": {"type": "integer"}, "lead_id": {"type": "integer"},
        "kind": {"type": "string", "enum": [v.value for v in ActivityKind]},
        "body": {"type": "string"}, "internal": {"type": "boolean"},
        "at": {"type": "string", "format": "date-time"},
        "author_id": _nullable({"type": "integer"}),
    },
}
FOLLOWUP = {
    "type": "object",
    "required": ["id", "lead_id", "title", "due_on", "remind_at", "assignee_id", "done_at"],
    "properties": {
        "id": {"type": "integer"}, "lead_id": {"type": "integer"}, "title": {"type": "string"},
        "due_on": DATE, "remind_at": _nullable({"type": "string", "format": "date-time"}),
        "assignee_id": {"type": "integer"},
        "done_at": _nullable({"type": "string", "format": "date-time"}),
    },
}


def _page(item: str) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "page", "per_page", "total"],
            "properties": {"items": {"type": "array", "items": _ref(item)},
                           "page": {"type": "integer"}, "per_page": {"type": "integer"},
                           "total": {"type": "integer"}}}


PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                               "maximum": MAX_PAGE}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                   "maximum": 200}},
]
LEAD_ID = {"name": "lead_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def register() -> None:
    register_openapi(
        {
            "/leads": {
                "get": {
                    "summary": "The leads visible to the token's user, filtered and paginated",
                    "parameters": [*PAGE_PARAMS,
                                   {"name": "stage", "in": "query",
                                    "schema": {"type": "string", "enum": [v.value for v in Stage]}},
                                   {"name": "municipality", "in": "query",
                                    "schema": {"type": "string", "enum": SLUGS}},
                                   {"name": "q", "in": "query",
                                    "schema": {"type": "string", "maxLength": 200}},
                                   {"name": "sort", "in": "query", "schema": {
                                       "type": "string", "enum": ["received_desc", "received_asc",
                                                                  "codename", "company", "stage",
                                                                  "updated_desc"]}}],
                    "responses": {"200": _json(_ref("LeadPage"), "A page of leads"),
                                  **_errors(400, 401, 422)},
                },
                "post": {
                    "summary": "Create a lead owned by the token's user (advisors)",
                    "requestBody": _body("LeadInput"),
                    "responses": {"201": _json(_ref("Lead"), "The new lead"),
                                  **_errors(400, 401, 403, 422)},
                },
            },
            "/leads/{lead_id}": {
                "parameters": [LEAD_ID],
                "get": {
                    "summary": "One lead, as far as the share level allows",
                    "responses": {"200": _json(_ref("Lead"), "The lead"),
                                  **_errors(400, 401, 404)},
                },
                "patch": {
                    "summary": "Edit a lead or change its stage; carries the version it started from",
                    "requestBody": _body("LeadPatch"),
                    "responses": {"200": _json(_ref("Lead"), "The saved lead"),
                                  **_errors(400, 401, 403, 404, 409, 422)},
                },
            },
            "/leads/{lead_id}/activities": {
                "parameters": [LEAD_ID],
                "post": {
                    "summary": "Add an activity to the lead's timeline",
                    "requestBody": _body("ActivityInput"),
                    "responses": {"201": _json(_ref("Activity"), "The activity"),
                                  **_errors(400, 401, 403, 404, 422)},
                },
            },
            "/leads/{lead_id}/followups": {
                "parameters": [LEAD_ID],
                "post": {
                    "summary": "Add a follow-up to the lead",
                    "requestBody": _body("FollowUpInput"),
                    "responses": {"201": _json(_ref("FollowUp"), "The follow-up"),
                                  **_errors(400, 401, 403, 404, 422)},
                },
            },
            "/leads/{lead_id}/shares": {
                "parameters": [LEAD_ID],
                "post": {
                    "summary": "Share the lead with partner municipalities (or change the level)",
                    "requestBody": _body("ShareInput"),
                    "responses": {"201": _json({"type": "object", "required": ["items"],
                                                "properties": {"items": {
                                                    "type": "array", "items": _ref("LeadShare")}}},
                                               "All shares of the lead"),
                                  **_errors(400, 401, 403, 404, 422)},
                },
            },
            "/companies": {
                "get": {
                    "summary": "Companies with this organisation number, seen through visible leads",
                    "parameters": [*PAGE_PARAMS,
                                   {"name": "orgnr", "in": "query", "required": True,
                                    "description": "Swedish organisation number (NNNNNN-NNNN, "
                                                   "also with the century, dots or spaces)",
                                    "schema": {"type": "string", "minLength": 1}}],
                    "responses": {"200": _json(_ref("CompanyPage"), "Matching companies"),
                                  **_errors(400, 401, 422)},
                },
            },
        },
        {
            "Lead": LEAD, "LeadRequirements": REQUIREMENTS, "LeadPage": _page("Lead"),
            "LeadShare": SHARE, "Company": COMPANY, "CompanyPage": _page("Company"),
            "Activity": ACTIVITY, "FollowUp": FOLLOWUP,
            **model_schemas(*INPUT_MODELS),
        },
    )
