"""`/healthz`: 200 when every part answers, 503 naming the part that does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify

from app.database import database_answers
from app.extensions import csrf

bp = Blueprint("health", __name__)

# name -> check returning (ok, details). Later features add their checks.
CHECKS: dict[str, Callable[[], tuple[bool, Any]]] = {}
# Checks that read the database: not run while it is down (each would wait for its
# connect timeout in turn), reported as "unknown".
NEEDS_DATABASE: set[str] = set()


def check(name: str, needs_database: bool = True) -> Callable:
    def register(function: Callable[[], tuple[bool, Any]]) -> Callable:
        CHECKS[name] = function
        if needs_database:
            NEEDS_DATABASE.add(name)
        return function

    return register


@check("database", needs_database=False)
def _database() -> tuple[bool, Any]:
    """Asked through its own engine with short timeouts (app.database), so a database
    that does not answer makes /healthz answer 503 in seconds instead of hanging."""
    return (True, "ok") if database_answers() else (False, "down")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    body: dict[str, Any] = {}
    healthy = True
    for name, function in CHECKS.items():
        if name in NEEDS_DATABASE and body.get("database") == "down":
            body[name] = "unknown"
            continue
        ok, details = function()
        body[name] = details
        healthy = healthy and ok
    body["status"] = "ok" if healthy else "error"
    return jsonify(body), 200 if healthy else 503


def init_app(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
