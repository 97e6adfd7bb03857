"""/api/v1/sites: list, create, read, edit (optimistic locking) and GeoJSON (RFC 7946)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import jsonify, request
from flask_babel import gettext as _

from app import scope
from app.api.auth import api_user
from app.api.common import (
    MAX_PAGE,
    ApiError,
    make_api_blueprint,
    page_args,
    paginated,
    register_openapi,
)
from app.api.inputs import MUNICIPALITY_ENUM, invalid, model_schemas, output_schemas, parse_body
from app.api.openapi import STANDARD_ERRORS, error_response
from app.api.outputs import dump
from app.core.models import Municipality
from app.extensions import db
from app.input_rules import MAX_ID, FieldErrors
from app.locking import StaleVersion
from app.sites import api_outputs as out
from app.sites import service
from app.sites.api_inputs import SiteCreate, SitePatch, site_values
from app.sites.api_outputs import OUTPUT_MODELS
from app.sites.models import (
    RailSiding,
    Site,
    SiteKind,
    SiteStatus,
)

bp = make_api_blueprint("sites_api", __name__)
SEARCH_MAX = 100  # characters of `q`


def site_out(site: Site, warnings: list | None = None) -> out.Site:
    score = service.completeness(site)
    body = out.Site(
        id=site.id, **service.site_values(site), land_area_ha=site.land_area_ha,
        dist_motorway_km=site.dist_motorway_km, dist_terminal_km=site.dist_terminal_km,
        dist_airport_km=site.dist_airport_km,
        completeness=out.Completeness.model_validate(
            {"present": score.present, "total": score.total, "missing": list(score.missing)}),
        version=site.version, created_at=site.created_at, updated_at=site.updated_at)
    if warnings is not None:
        body.warnings = [str(warning) for warning in warnings]
    return body


def site_json(site: Site) -> dict[str, Any]:
    return dump(site_out(site))


def _invalid(invalid: FieldErrors) -> ApiError:
    return ApiError(422, _("Some fields need attention."),
                    {name: [str(m) for m in messages] for name, messages in invalid.fields.items()})


def _filter():
    if len(request.args.get("q", "")) > SEARCH_MAX:  # documented maxLength: refused, not cut
        raise invalid({"q": [_("At most %(max)d characters.", max=SEARCH_MAX)]})
    blank = {name: [_("Unknown value.")] for name in ("municipality", "status", "kind", "rail")
             if "" in request.args.getlist(name)}  # the page's "all"; no value in the API
    if blank:
        raise ApiError(400, _("Unknown filter value."), blank)
    try:
        return service.parse_filter(request.args)
    except service.FilterInvalid as wrong:
        raise ApiError(400, _("Unknown filter value."),
                       {k: [str(m) for m in v] for k, v in wrong.errors.items()}) from None


def _visible_site(site_id: int) -> Site:
    site = scope.get_visible(api_user(), Site, site_id) if site_id <= MAX_ID else None
    if site is None:
        raise ApiError(404, _("We could not find that page."))
    return site


def _with_warnings(site: Site, warnings: list) -> dict[str, Any]:
    return dump(site_out(site, warnings))


# ------------------------------------------------------------------ endpoints

@bp.get("/sites")
def list_sites():
    filt = _filter()
    page, per_page = page_args()
    result = paginated(service.filtered_sites(api_user(), filt), site_out, page, per_page)
    return jsonify(dump(out.SitePage(**result)))


@bp.post("/sites")
def create_site():
    values = site_values(parse_body(SiteCreate))
    if not service.can_create_sites(api_user()):
        raise ApiError(403, _("You do not have permission to do that."))
    if "status" not in values:
        values["status"] = SiteStatus.AVAILABLE.value
    try:
        site, warnings = service.create_site(api_user(), values)
    except FieldErrors as invalid:
        raise _invalid(invalid) from None
    return jsonify(_with_warnings(site, warnings)), 201


@bp.get("/sites/<int:site_id>")
def get_site(site_id: int):
    return jsonify(site_json(_visible_site(site_id)))


@bp.patch("/sites/<int:site_id>")
def patch_site(site_id: int):
    site = _visible_site(site_id)
    data = parse_body(SitePatch)
    version, values = data.version, site_values(data)
    if not service.can_edit_site(api_user(), site):
        raise ApiError(403, _("You do not have permission to do that."))
    try:
        warnings = service.update_site(api_user(), site, version, values)
    except FieldErrors as invalid:
        raise _invalid(invalid) from None
    except StaleVersion as stale:
        return jsonify(dump(out.SiteConflict(error=out.ConflictError(
            code="conflict", message=_("Someone else changed this in the meantime."),
            current=site_out(stale.current))))), 409
    return jsonify(_with_warnings(site, warnings))


GEOJSON_PROPERTIES = ("name", "kind", "status", "land_area_m2", "building_area_m2",
                      "rail_siding", "power_mw", "dist_motorway_km", "dist_terminal_km",
                      "dist_airport_km", "version")


@bp.get("/sites.geojson")
def sites_geojson():
    """Plain columns, no ORM objects: 10,000 sites in one answer."""
    filt = _filter()
    table = Site.__table__
    columns = [table.c.id, table.c.lon, table.c.lat, Municipality.slug,
               *(sa.type_coerce(table.c[name], sa.String)
                 if name in ("kind", "status", "rail_siding") else table.c[name]
                 for name in GEOJSON_PROPERTIES)]
    statement = (sa.select(*columns).join(Municipality, Municipality.id == table.c.municipality_id)
                 .where(scope.visible_filter(api_user(), Site), *service.filter_criteria(filt))
                 .order_by(table.c.id))
    features = [{
        "type": "Feature",
        "id": site_id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"municipality": slug, **dict(zip(GEOJSON_PROPERTIES, values, strict=True))},
    } for site_id, lon, lat, slug, *values in db.session.execute(statement)]
    response = jsonify({"type": "FeatureCollection", "features": features})
    response.mimetype = "application/geo+json"
    return response


# ------------------------------------------------------------------ OpenAPI

def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, mime: str = "application/json") -> dict:
    return {"description": description, "content": {mime: {"schema": schema}}}




FILTER_PARAMETERS = [
    {"name": "municipality", "in": "query", "schema": {"type": "array", "items": {
        "type": "string", MUNICIPALITY_ENUM: True}}, "style": "form", "explode": True},
    {"name": "status", "in": "query", "schema": {"type": "array", "items": {
        "type": "string", "enum": [s.value for s in SiteStatus]}}, "style": "form", "explode": True},
    {"name": "kind", "in": "query", "schema": {"type": "array", "items": {
        "type": "string", "enum": [k.value for k in SiteKind]}}, "style": "form", "explode": True},
    {"name": "rail", "in": "query", "schema": {"type": "array", "items": {
        "type": "string", "enum": [r.value for r in RailSiding]}}, "style": "form", "explode": True},
    {"name": "min_area", "in": "query", "schema": {"type": "integer", "minimum": 0,
                                                   "maximum": service.AREA_FILTER_MAX}},
    {"name": "min_power", "in": "query", "schema": {"type": "number", "minimum": 0,
                                                    "maximum": service.FILTER_MAX}},
    {"name": "incomplete", "in": "query", "schema": {"type": "string", "enum": ["1", "0"]}},
    {"name": "q", "in": "query", "description": "Longer is 422; control characters are ignored",
     "schema": {"type": "string", "maxLength": SEARCH_MAX}},
]
ID_PARAMETER = {"name": "site_id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1}}
ERRORS_403_404 = {"403": error_response("Not allowed for this user"),
                  "404": error_response("No such site (or not visible to this user)")}
INVALID = {"422": error_response("Field errors (in `fields`); nothing was stored")}

register_openapi(
    {
        "/sites": {
            "get": {
                "summary": "Visible sites, filtered and paginated",
                "parameters": [*FILTER_PARAMETERS,
                               {"name": "page", "in": "query",
                                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                               {"name": "per_page", "in": "query",
                                "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                "responses": {"200": _json(_ref("SitePage"), "A page of sites"), **STANDARD_ERRORS,
                              "422": error_response("`q` too long")},
            },
            "post": {
                "summary": "Create a site (advisors in their municipality, admins anywhere)",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("SiteCreate")}}},
                "responses": {"201": _json(_ref("Site"), "The created site, with warnings"),
                              **STANDARD_ERRORS, "403": ERRORS_403_404["403"], **INVALID},
            },
        },
        "/sites/{site_id}": {
            "get": {
                "summary": "One site",
                "parameters": [ID_PARAMETER],
                "responses": {"200": _json(_ref("Site"), "The site"), **STANDARD_ERRORS,
                              "404": ERRORS_403_404["404"]},
            },
            "patch": {
                "summary": "Edit a site; `version` must be the version the edit started from",
                "parameters": [ID_PARAMETER],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("SitePatch")}}},
                "responses": {"200": _json(_ref("Site"), "The saved site, with warnings"),
                              **STANDARD_ERRORS, **ERRORS_403_404,
                              "409": _json(_ref("SiteConflict"),
                                           "Stale version: the site as it is now"),
                              **INVALID},
            },
        },
        "/sites.geojson": {
            "get": {
                "summary": "Visible sites as an RFC 7946 FeatureCollection (lon, lat)",
                "parameters": FILTER_PARAMETERS,
                "responses": {"200": _json(_ref("SiteFeatureCollection"), "The sites",
                                           "application/geo+json"), **STANDARD_ERRORS,
                              "422": error_response("`q` too long")},
            },
        },
    },
    {
        **model_schemas(SiteCreate, SitePatch),
        **output_schemas(*OUTPUT_MODELS),
    },
)
