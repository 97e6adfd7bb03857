"""Candidate sites of a lead: matching every site against the inquiry (matching.py),
proposing and deciding (service.py, under access.py), the match page (routes.py)."""

from __future__ import annotations


def init_app(app) -> None:
    from app.candidates import api, digest, routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(api.bp)
    app.jinja_env.globals.update(routes.template_helpers())
    app.jinja_env.filters["criterion_label"] = routes.criterion_label
    digest.register()
