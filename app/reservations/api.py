"""JSON API of reservations: reserve a site from a selected candidate, extend, cancel or
convert (the same service and access rules as the pages)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _

from app import scope
from app.api.auth import api_user
from app.api.common import ApiError, register_openapi
from app.api.common import make_api_blueprint as _make
from app.api.inputs import invalid, model_schemas, output_schemas, parse_body
from app.api.outputs import dump
from app.candidates.models import CandidateSite
from app.extensions import db
from app.input_rules import MAX_ID, FieldErrors
from app.leads.errors import PermissionDenied
from app.locking import StaleVersion
from app.reservations import api_outputs as out
from app.reservations import service
from app.reservations.api_inputs import INPUT_MODELS, ReservationInput, ReservationPatch
from app.reservations.models import Reservation
from app.sites.models import Site

bp = _make("reservations_api", __name__)


def reservation_out(reservation: Reservation) -> out.Reservation:
    return out.Reservation(
        id=reservation.id, site_id=reservation.site_id, lead_id=reservation.lead_id,
        lead_codename=reservation.lead.codename, kind=reservation.kind,
        decided_on=reservation.decided_on, decided_by=reservation.decided_by,
        valid_from=reservation.valid_from, valid_until=reservation.valid_until,
        agreement_ref=reservation.agreement_ref, fee_sek=reservation.fee_sek,
        status=reservation.status, note=reservation.note, version=reservation.version)


def _not_found() -> ApiError:
    return ApiError(404, _("We could not find that page."))


@bp.post("/sites/<int:site_id>/reservations")
def reserve(site_id: int):
    site = scope.get_visible(api_user(), Site, site_id) if site_id <= MAX_ID else None
    if site is None:
        raise _not_found()
    data = parse_body(ReservationInput)
    candidate = scope.get_visible(api_user(), CandidateSite, data.candidate_id)
    if candidate is None or candidate.site_id != site.id:
        raise invalid({"candidate_id": [_("Not a candidate on this site.")]})
    values: dict[str, Any] = data.model_dump(exclude={"candidate_id"})
    try:
        reservation = service.reserve(api_user(), candidate, values)
    except PermissionDenied:
        raise ApiError(403, _("You do not have permission to do that.")) from None
    except FieldErrors as error:
        db.session.rollback()
        raise invalid(error.fields) from None
    return jsonify(dump(reservation_out(reservation))), 201


@bp.patch("/reservations/<int:reservation_id>")
def change(reservation_id: int):
    reservation = (scope.get_visible(api_user(), Reservation, reservation_id)
                   if reservation_id <= MAX_ID else None)
    if reservation is None:
        raise _not_found()
    data = parse_body(ReservationPatch)
    try:
        service.change(api_user(), reservation, data.version, data.action, data.valid_until)
    except PermissionDenied:
        raise ApiError(403, _("You do not have permission to do that.")) from None
    except FieldErrors as error:
        db.session.rollback()
        raise invalid(error.fields) from None
    except StaleVersion:
        db.session.rollback()
        raise ApiError(409, _("Someone else changed this in the meantime.")) from None
    return jsonify(dump(reservation_out(reservation)))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "Malformed request", 401: "Missing or invalid bearer token",
             403: "Not allowed for this user", 404: "No such site or reservation (or not visible)",
             409: "Stale version: someone saved first", 422: "Field errors"}
    return {str(code): _json("Error", texts[code]) for code in codes}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


register_openapi(
    {
        "/sites/{site_id}/reservations": {
            "parameters": [{"name": "site_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "post": {
                "summary": "Reserve the site for the lead of one of its selected candidates",
                "requestBody": _body("ReservationInput"),
                "responses": {"201": _json("Reservation", "The reservation"),
                              **_errors(400, 401, 403, 404, 422)},
            },
        },
        "/reservations/{reservation_id}": {
            "parameters": [{"name": "reservation_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "patch": {
                "summary": "Extend, cancel or convert a reservation in force",
                "requestBody": _body("ReservationPatch"),
                "responses": {"200": _json("Reservation", "The saved reservation"),
                              **_errors(400, 401, 403, 404, 409, 422)},
            },
        },
    },
    {**model_schemas(*INPUT_MODELS), **output_schemas(*out.OUTPUT_MODELS)},
)
