"""Notifications in the product (issue 17, first part): one model and one module
(service.py) through which events reach the users who should know and may see them."""

from __future__ import annotations


def init_app(app) -> None:
    from app.notifications import routes

    app.register_blueprint(routes.bp)
    app.jinja_env.globals.update(routes.template_helpers())
