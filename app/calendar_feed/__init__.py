"""The personal iCalendar feed of open follow-ups, `/calendar/<secret>.ics`."""


def init_app(app) -> None:
    from app.calendar_feed import routes, service

    app.register_blueprint(routes.bp)
    app.jinja_env.globals["calendar_feed_of"] = service.feed_of
