"""The start page."""


def init_app(app) -> None:
    from app.main.routes import bp

    app.register_blueprint(bp)
