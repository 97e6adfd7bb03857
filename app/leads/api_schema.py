"""The OpenAPI description of the lead endpoints: paths and parameters are described
here; the request and response schemas are generated from the models of
app/leads/api_inputs.py and app/leads/api_outputs.py."""

from __future__ import annotations

from typing import Any

from app.api.common import MAX_PAGE, register_openapi
from app.api.inputs import MUNICIPALITY_ENUM, model_schemas, output_schemas
from app.leads.api_inputs import INPUT_MODELS
from app.leads.api_outputs import OUTPUT_MODELS
from app.leads.models import Stage


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "Malformed request", 401: "Missing or invalid bearer token",
             403: "Not allowed for this user", 404: "No such lead (or not visible)",
             409: "Stale version: someone saved first", 422: "Field errors"}
    return {str(code): _json(_ref("Error"), texts[code]) for code in codes}


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
                                    "schema": {"type": "string", MUNICIPALITY_ENUM: True}},
                                   {"name": "q", "in": "query",
                                    "schema": {"type": "string", "maxLength": 200}},
                                   {"name": "sort", "in": "query", "schema": {
                                       "type": "string", "enum": ["received_desc", "received_asc",
                                                                  "codename", "company", "stage",
                                                                  "updated_desc"]}},
                                   {"name": "scope", "in": "query", "description":
                                    "owned: the user's municipality's; shared: shared with it; "
                                    "awaiting: shared with it and not yet answered by it; "
                                    "answered: its own, answered by a partner",
                                    "schema": {"type": "string", "enum": [
                                        "owned", "shared", "awaiting", "answered"]}}],
                    "responses": {"200": _json(_ref("LeadPage"), "A page of leads"),
                                  **_errors(400, 401, 422)},
                },
                "post": {
                    "summary": "Create a lead owned by the token's user (advisors)",
                    "description": "A lead needs a company (`company_id` or `company`) or "
                                   "a `description`: without either it is refused with "
                                   "422, the message at `description`.",
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
                    "responses": {"201": _json(_ref("LeadShares"), "All shares of the lead"),
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
        {**model_schemas(*INPUT_MODELS), **output_schemas(*OUTPUT_MODELS)},
    )
