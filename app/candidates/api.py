"""JSON API of candidate sites: a lead's matches, its candidates, proposing and deciding
(the same services and access rules as the pages)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from app import scope
from app.api.auth import api_user
from app.api.common import ApiError, register_openapi
from app.api.common import make_api_blueprint as _make
from app.api.inputs import invalid, model_schemas, output_schemas, parse_body
from app.api.outputs import dump
from app.candidates import api_outputs as out
from app.candidates import service
from app.candidates.api_inputs import INPUT_MODELS, CandidateInput, CandidatePatch
from app.candidates.matching import Match
from app.candidates.models import CandidateSite
from app.candidates.weights import match_weights
from app.extensions import db
from app.input_rules import MAX_ID, FieldErrors, whole_number
from app.leads import queries
from app.leads.errors import PermissionDenied
from app.leads.models import Lead
from app.locking import StaleVersion
from app.sites.models import Site

bp = _make("candidates_api", __name__)
LIMIT_MAX = 200


def _visible_lead(lead_id: int, *options: Any) -> Lead:
    lead = queries.get_lead(api_user(), lead_id, *options) if lead_id <= MAX_ID else None
    if lead is None:
        raise ApiError(404, _("We could not find that page."))
    return lead


def _match_out(match: Match) -> out.SiteMatch:
    return out.SiteMatch(
        site_id=match.site.id, site_name=match.site.name, municipality=match.site.municipality,
        score=match.score, fits=match.fits, unknown_musts=match.unknown_musts,
        criteria=[out.MatchCriterion(key=c.key, verdict=c.verdict.value, must=c.must,
                                     explanation=c.explanation) for c in match.criteria])


def candidate_out(candidate: CandidateSite) -> out.Candidate:
    return out.Candidate(
        id=candidate.id, lead_id=candidate.lead_id, site_id=candidate.site_id,
        site_name=candidate.site.name, municipality=candidate.site.municipality.slug,
        status=candidate.status, reason=candidate.reason, note=candidate.note,
        proposed_by_id=candidate.proposed_by_id, proposed_at=candidate.proposed_at,
        version=candidate.version)


@bp.get("/leads/<int:lead_id>/matches")
def matches(lead_id: int):
    lead = _visible_lead(lead_id, *queries.OWN_COLUMNS_ONLY)
    limit = request.args.get("limit", "50")
    shown = whole_number(limit, digits=3)
    if shown is None or not 1 <= shown <= LIMIT_MAX:
        raise invalid({"limit": [_("At most %(limit)s.", limit=LIMIT_MAX)]})
    needs = service.needs_of(lead)
    weights = match_weights()
    page = service.match_page(api_user(), needs, shown, weights=weights)
    items = page.fitting  # then the unfit ones, with their reasons, while there is room
    if len(items) < shown and page.unfit_total:
        items = items + service.unfit_matches(api_user(), needs, shown - len(items),
                                              weights=weights)
    return jsonify(dump(out.MatchList(items=[_match_out(m) for m in items],
                                      total=page.total + page.unfit_total)))


@bp.get("/leads/<int:lead_id>/candidates")
def candidates(lead_id: int):
    lead = _visible_lead(lead_id)
    return jsonify(dump(out.CandidateList(
        items=[candidate_out(c) for c in service.candidates_of(api_user(), lead)])))


@bp.post("/leads/<int:lead_id>/candidates")
def propose(lead_id: int):
    lead = _visible_lead(lead_id)
    data = parse_body(CandidateInput)
    site = scope.get_visible(api_user(), Site, data.site_id)
    if site is None:
        raise invalid({"site_id": [_("Unknown site.")]})
    try:
        candidate = service.propose(api_user(), lead, site, data.note)
    except PermissionDenied:
        raise ApiError(403, _("You do not have permission to do that.")) from None
    except FieldErrors as error:
        db.session.rollback()
        raise invalid(error.fields) from None
    return jsonify(dump(candidate_out(candidate))), 201


@bp.patch("/candidates/<int:candidate_id>")
def change(candidate_id: int):
    candidate = (scope.get_visible(api_user(), CandidateSite, candidate_id)
                 if candidate_id <= MAX_ID else None)
    if candidate is None:
        raise ApiError(404, _("We could not find that page."))
    data = parse_body(CandidatePatch)
    values: dict[str, Any] = {name: getattr(data, name)
                              for name in data.model_fields_set - {"version"}}
    try:
        service.change(api_user(), candidate, data.version, values)
    except PermissionDenied:
        raise ApiError(403, _("You do not have permission to do that.")) from None
    except FieldErrors as error:
        db.session.rollback()
        raise invalid(error.fields) from None
    except StaleVersion:
        db.session.rollback()
        raise ApiError(409, _("Someone else changed this in the meantime.")) from None
    return jsonify(dump(candidate_out(candidate)))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "Malformed request", 401: "Missing or invalid bearer token",
             403: "Not allowed for this user", 404: "No such lead or candidate (or not visible)",
             409: "Stale version: someone saved first", 422: "Field errors"}
    return {str(code): _json("Error", texts[code]) for code in codes}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


LEAD_ID = {"name": "lead_id", "in": "path", "required": True, "schema": {"type": "integer"}}

register_openapi(
    {
        "/leads/{lead_id}/matches": {
            "parameters": [LEAD_ID],
            "get": {
                "summary": "Every offered site checked against the lead, ranked, with a "
                           "verdict and an explanation per criterion",
                "parameters": [{"name": "limit", "in": "query", "schema": {
                    "type": "integer", "minimum": 1, "maximum": LIMIT_MAX}}],
                "responses": {"200": _json("MatchList", "The matches"),
                              **_errors(400, 401, 404, 422)},
            },
        },
        "/leads/{lead_id}/candidates": {
            "parameters": [LEAD_ID],
            "get": {
                "summary": "The lead's candidate sites the user may see",
                "responses": {"200": _json("CandidateList", "The candidates"),
                              **_errors(400, 401, 404)},
            },
            "post": {
                "summary": "Propose a site as a candidate of the lead",
                "requestBody": _body("CandidateInput"),
                "responses": {"201": _json("Candidate", "The candidate"),
                              **_errors(400, 401, 403, 404, 422)},
            },
        },
        "/candidates/{candidate_id}": {
            "parameters": [{"name": "candidate_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "patch": {
                "summary": "Change a candidate's status, reason or note",
                "requestBody": _body("CandidatePatch"),
                "responses": {"200": _json("Candidate", "The saved candidate"),
                              **_errors(400, 401, 403, 404, 409, 422)},
            },
        },
    },
    {**model_schemas(*INPUT_MODELS), **output_schemas(*out.OUTPUT_MODELS)},
)
