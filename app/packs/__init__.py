"""The prospect pack (issue 16): a private, printable page for a company with the sites
proposed to it, reached by a secret link (models.py, service.py; staticmap.py draws the
map image on the server, with no tile server, so the pack prints without a network)."""

from __future__ import annotations


def init_app(app) -> None:
    from app.packs import api, routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(api.bp)
    app.jinja_env.globals.update(routes.template_helpers())
