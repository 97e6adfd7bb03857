"""The lead pipeline: inquiries, kanban, activities, follow-ups, sharing, export, API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    from app.leads import api, digest, panels, reminders, routes
    from app.navigation import add_nav_item

    app.register_blueprint(routes.bp)
    app.register_blueprint(api.bp)
    app.jinja_env.globals.update(routes.template_helpers())
    add_nav_item("leads.index", _l("Leads"), order=10)
    add_nav_item("leads.pipeline", _l("Pipeline"), order=20)
    add_nav_item("leads.followups", _l("Follow-ups"), order=30)
    panels.register()
    digest.register()
    reminders.register()
    app.jinja_env.filters["localinput"] = reminders.local_input_value
