"""Friendly error pages for people, JSON errors for the API and JSON clients."""

from __future__ import annotations

import contextlib
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from app.extensions import db, login_manager

# What the driver raises when the database is down, refuses us or does not answer in
# time (connecting, or a pool with no free connection).
DATABASE_UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Reload the page and try again."),
        401: _("You need to log in."),
        403: _("You do not have permission to do that."),
        404: _("We could not find that page."),
        405: _("That method is not allowed here."),
        409: _("Someone else changed this in the meantime."),
        413: _("What you sent is too large."),
        422: _("Some fields need attention."),
        429: _("Too many attempts. Try again later."),
        500: _("Something went wrong on our side. It has been logged."),
        503: _("The service is temporarily unavailable. Try again in a few minutes."),
    }


def json_error(status: int, message: str, fields: dict | None = None):
    body: dict[str, Any] = {"code": ERROR_CODES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


def handle_http_error(error: HTTPException):
    status = error.code or 500
    message = _messages().get(status, error.description or "")
    if isinstance(error, CSRFError):
        message = _("The form has expired or lacks its security token. Reload the page and "
                    "try again.")
    if wants_json():
        response = make_response(json_error(status, message))
    else:
        response = make_response(render_template("errors/error.html", status=status,
                                                 message=message), status)
    for name, value in error.get_headers():  # e.g. `Allow` of a 405 (RFC 9110 §15.5.6)
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error: %s", error)
    return handle_http_error(InternalServerError())


def handle_database_unavailable(error: Exception):
    """The database is down or does not answer: 503, a page or JSON, rendered without
    asking the database again (the user counts as logged out for this answer)."""
    current_app.logger.error("Database unavailable: %s", error)
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user
    return handle_http_error(ServiceUnavailable())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
