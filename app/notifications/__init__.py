"""Notifications in the product and by e-mail (issue 17): one model and one module
(service.py) through which events reach the users who should know and may see them;
e-mail at once (email.py) or in the weekly digest (digest.py), as each reader chose."""

from __future__ import annotations


def init_app(app) -> None:
    from app.notifications import digest, email, routes, service

    app.register_blueprint(routes.bp)
    app.jinja_env.globals.update(routes.template_helpers())
    email.register()
    digest.register()

    @app.after_request
    def email_queued_notifications(response):
        """What the request's change made "at once" goes out once it is committed."""
        service.send_queued()
        return response
