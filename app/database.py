"""Connecting to the database when it is down or does not answer.

PostgreSQL connections get a connect timeout (DATABASE_CONNECT_TIMEOUT): without
one, psycopg waits over two minutes for a server that accepts the connection and
never answers, and every page hangs until the worker is killed. `/healthz` asks
through an engine of its own with a shorter connect and statement timeout
(HEALTH_DATABASE_TIMEOUT), so a load balancer learns in seconds that the
database is down. SQLite has no server to wait for; both use the one engine.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.extensions import db

HEALTH_ENGINE = "etablera_health_engine"  # key in app.extensions


def _is_postgresql(url: str | sa.URL | None) -> bool:
    return url is not None and make_url(url).get_backend_name() == "postgresql"


def configure_engine(app: Flask) -> None:
    """Give the PostgreSQL engine its connect timeout (before `db.init_app`)."""
    if not _is_postgresql(app.config.get("SQLALCHEMY_DATABASE_URI")):
        return
    options: dict[str, Any] = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("connect_timeout", app.config["DATABASE_CONNECT_TIMEOUT"])
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def health_engine() -> sa.Engine:
    """The engine `/healthz` asks: for PostgreSQL a separate one without a pool whose
    connections give up after HEALTH_DATABASE_TIMEOUT (connecting and each statement)."""
    if not _is_postgresql(db.engine.url):
        return db.engine
    engine = current_app.extensions.get(HEALTH_ENGINE)
    if engine is None:
        seconds = current_app.config["HEALTH_DATABASE_TIMEOUT"]
        engine = sa.create_engine(
            db.engine.url, poolclass=NullPool,
            connect_args={"connect_timeout": seconds,
                          "options": f"-c statement_timeout={int(seconds * 1000)}"})
        current_app.extensions[HEALTH_ENGINE] = engine
    return engine


def database_answers() -> bool:
    """Whether the database answers `SELECT 1` (within the health timeouts)."""
    try:
        with health_engine().connect() as connection:
            connection.execute(sa.select(1))
    except sa.exc.SQLAlchemyError:
        return False
    return True
