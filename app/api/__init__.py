"""JSON API v1: bearer tokens only, no CSRF, session cookies ignored."""


def init_app(app) -> None:
    from app.api.routes import bp
    from app.extensions import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
