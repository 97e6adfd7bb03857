"""JSON API of prospect packs: make one (the link is in this answer only) and revoke it."""

from __future__ import annotations

from typing import Annotated, Any

from flask import jsonify, url_for
from flask_babel import gettext as _
from pydantic import Field

from app.api.auth import api_user
from app.api.common import ApiError, register_openapi
from app.api.common import make_api_blueprint as _make
from app.api.inputs import ApiInput, invalid, model_schemas, output_schemas, parse_body
from app.api.outputs import ApiOutput, Instant, dump
from app.extensions import db
from app.input_rules import MAX_ID, FieldErrors
from app.leads import queries
from app.leads.errors import PermissionDenied
from app.packs import service
from app.packs.models import ProspectPack
from app.scope import get_visible

bp = _make("packs_api", __name__)


class PackInput(ApiInput):
    """A pack of the lead's proposed, visited or selected candidates for its company."""

    candidate_ids: Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]],
                             Field(min_length=1, max_length=50)]
    language: Annotated[str, Field(pattern="^(sv|en)$")]
    expires_in_days: Annotated[int, Field(ge=1, le=service.MAX_DAYS)] = service.DEFAULT_DAYS


class PackMade(ApiOutput):
    """The secret link is in this answer only: the server keeps just its hash."""

    id: int
    url: str
    expires_at: Instant


@bp.post("/leads/<int:lead_id>/packs")
def make(lead_id: int):
    lead = queries.get_lead(api_user(), lead_id) if lead_id <= MAX_ID else None
    if lead is None:
        raise ApiError(404, _("We could not find that page."))
    data = parse_body(PackInput)
    try:
        pack, token = service.make_pack(api_user(), lead, data.candidate_ids, data.language,
                                        data.expires_in_days)
    except PermissionDenied:
        raise ApiError(403, _("You do not have permission to do that.")) from None
    except FieldErrors as error:
        db.session.rollback()
        raise invalid(error.fields) from None
    return jsonify(dump(PackMade(id=pack.id, url=url_for("packs.show", token=token,
                                                          _external=True),
                                 expires_at=pack.expires_at))), 201


@bp.delete("/packs/<int:pack_id>")
def revoke(pack_id: int):
    pack = get_visible(api_user(), ProspectPack, pack_id) if pack_id <= MAX_ID else None
    if pack is None:
        raise ApiError(404, _("We could not find that page."))
    try:
        service.revoke(api_user(), pack)
    except PermissionDenied:
        raise ApiError(403, _("You do not have permission to do that.")) from None
    return "", 204


def _json(name: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


_ERRORS = {400: "Malformed request", 401: "Missing or invalid bearer token",
           403: "Not allowed for this user", 404: "No such lead or pack (or not visible)",
           422: "Field errors"}

register_openapi(
    {
        "/leads/{lead_id}/packs": {
            "parameters": [{"name": "lead_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "post": {
                "summary": "Make a prospect pack; the answer holds its secret link (only here)",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/PackInput"}}}},
                "responses": {"201": _json("PackMade", "The pack and its link"),
                              **{str(c): _json("Error", t) for c, t in _ERRORS.items()}},
            },
        },
        "/packs/{pack_id}": {
            "parameters": [{"name": "pack_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "delete": {
                "summary": "Revoke a pack: its link no longer opens it",
                "responses": {"204": {"description": "Revoked"},
                              **{str(c): _json("Error", t) for c, t in _ERRORS.items()
                                 if c != 422}},
            },
        },
    },
    {**model_schemas(PackInput), **output_schemas(PackMade)},
)
