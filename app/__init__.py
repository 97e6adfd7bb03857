"""Etablera: the establishment-lead pipeline of Logistikregionen."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, load_config

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(config: Config | str | None = None, **overrides) -> Flask:
    """Build the application. `config` is a Config object or an environment name."""
    if not isinstance(config, Config):
        config = load_config(config)
    app = Flask(
        __name__,
        template_folder=str(PROJECT_DIR / "templates"),
        instance_path=str(PROJECT_DIR / "instance"),
    )
    app.config.from_object(config)
    app.config["ENV_NAME"] = config.ENV_NAME
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    trust_proxies(app)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_shellcontext(app)
    register_commands(app)
    configure_logger(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies (nginx: 1), take the client's address and scheme
    from their X-Forwarded-For/-Proto; with 0 those headers are ignored (anyone can send them)."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]  # Flask's documented way


def register_extensions(app: Flask) -> None:
    from app import database, i18n, models, transactions  # noqa: F401 - models: Alembic's schema
    from app.extensions import csrf, db, limiter, login_manager, migrate

    database.configure_engine(app)  # before db: the engine is made in init_app
    db.init_app(app)
    transactions.init_app(app)  # after db: ends read-only requests before the session goes
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    from app.forms import render_field, same_value, shown_field, shown_value

    app.jinja_env.globals["render_field"] = render_field
    app.jinja_env.globals.update(shown_field=shown_field, shown_value=shown_value,
                                 same_value=same_value)


def register_blueprints(app: Flask) -> None:
    from app import (
        admin,
        api,
        auth,
        calendar_feed,
        candidates,
        catalogue,
        digest,
        exports,
        health,
        intake,
        leads,
        mail,
        main,
        navigation,
        notifications,
        packs,
        privacy,
        reminders,
        reports,
        reservations,
        scheduler,
        security,
        sites,
    )

    for feature in (security, navigation, auth, main, admin, health, api, sites, leads, mail,
                    digest, reminders, scheduler, calendar_feed, exports, candidates,
                    reservations, packs, notifications, reports, catalogue, privacy, intake):
        feature.init_app(app)
    if app.config.get("BENCH_ROUTES"):
        from app import bench

        bench.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from app import errors

    errors.init_app(app)


def register_shellcontext(app: Flask) -> None:
    from app import models
    from app.extensions import db

    def context() -> dict:
        return {"db": db, **{name: getattr(models, name) for name in models.__all__}}

    app.shell_context_processor(context)


def register_commands(app: Flask) -> None:
    from app import data_check, demo

    data_check.init_app(app)
    demo.init_app(app)


def configure_logger(app: Flask) -> None:
    import logging

    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)
