"""Shared pieces of the JSON API: blueprints, errors, pagination, the OpenAPI registry."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, request
from flask_babel import gettext as _

from app.api.auth import authenticate_request
from app.errors import json_error
from app.extensions import csrf, db

API_PREFIX = "/api/v1"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000  # beyond any data set; larger numbers overflow SQLite's OFFSET


def make_api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api/v1 with bearer-token auth and no CSRF (cookies are ignored)."""
    bp = Blueprint(name, import_name, url_prefix=API_PREFIX)
    bp.before_request(authenticate_request)
    bp.before_request(refuse_unknown_query_parameters)
    csrf.exempt(bp)
    return bp


class ApiError(Exception):
    """Raised by API views and services; rendered as {"error": {...}} with its status."""

    def __init__(self, status: int, message: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


def handle_api_error(error: ApiError):
    return json_error(error.status, str(error.message), error.fields or None)


def refuse_unknown_query_parameters() -> None:
    """400 for a query parameter the OpenAPI document does not list for the operation
    (a misspelt filter must not be ignored silently)."""
    if request.url_rule is None or not request.args:
        return
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", request.url_rule.rule)
    item = OPENAPI_PATHS.get(path.removeprefix(API_PREFIX), {})
    operation = item.get(request.method.lower(), {})
    known = {parameter["name"] for parameter in [*item.get("parameters", []),
                                                 *operation.get("parameters", [])]
             if parameter.get("in") == "query"}
    unknown = sorted(set(request.args) - known)
    if operation and unknown:
        raise ApiError(400, _("Unknown query parameter."),
                       {name or "query": [_("Unknown query parameter.")] for name in unknown})


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 ApiError."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object.")
    return body


def page_args() -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1–200) from the query string, or a 400 ApiError."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        raise ApiError(400, "page and per_page must be whole numbers.") from None
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(400, f"page must be between 1 and {MAX_PAGE} and per_page between 1 "
                            f"and {MAX_PER_PAGE}.")
    return page, per_page


def paginated(statement: sa.Select, serialise, page: int, per_page: int) -> dict[str, Any]:
    """{"items", "page", "per_page", "total"} for a select statement."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page))
    return {"items": [serialise(row) for row in rows], "page": page, "per_page": per_page,
            "total": total}


# The OpenAPI document is assembled from what each feature registers.
OPENAPI_PATHS: dict[str, dict[str, Any]] = {}
OPENAPI_SCHEMAS: dict[str, dict[str, Any]] = {}


def register_openapi(paths: dict[str, dict[str, Any]], schemas: dict[str, dict[str, Any]]) -> None:
    OPENAPI_PATHS.update(paths)
    OPENAPI_SCHEMAS.update(schemas)
