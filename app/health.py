"""`/healthz`: 200 when every part answers, 503 naming the part that does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, jsonify

from app.extensions import csrf, db

bp = Blueprint("health", __name__)

# name -> check returning (ok, details). Later features add their checks.
CHECKS: dict[str, Callable[[], tuple[bool, Any]]] = {}


def check(name: str) -> Callable:
    def register(function: Callable[[], tuple[bool, Any]]) -> Callable:
        CHECKS[name] = function
        return function

    return register


@check("database")
def _database() -> tuple[bool, Any]:
    try:
        db.session.execute(sa.select(1))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False, "error"
    return True, "ok"


@bp.route("/healthz")
def healthz():
    body: dict[str, Any] = {}
    healthy = True
    for name, function in CHECKS.items():
        ok, details = function()
        body[name] = details
        healthy = healthy and ok
    body["status"] = "ok" if healthy else "error"
    return jsonify(body), 200 if healthy else 503


def init_app(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
