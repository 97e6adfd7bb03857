"""Land reservations (markreservation, markanvisning): a municipality's time-limited
exclusive right for a company to negotiate for a site, made from a selected candidate
(issue 16). models.py the reservation, access.py who sees it, service.py the rules."""

from __future__ import annotations


def init_app(app) -> None:
    from app.reservations import api, digest, expiry, panels, routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(api.bp)
    expiry.register()
    digest.register()
    panels.register()
    app.jinja_env.globals.update(routes.template_helpers())
