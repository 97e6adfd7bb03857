"""Administration of the collaboration: users and reference data."""


def init_app(app) -> None:
    from app.admin import health
    from app.admin.routes import bp

    app.register_blueprint(bp)
    health.register()
