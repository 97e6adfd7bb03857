"""Personal data: a contact's export and erasure, and gallring (retention) of closed leads."""


def init_app(app) -> None:
    from app.privacy import digest
    from app.privacy.routes import bp, template_helpers

    app.register_blueprint(bp)
    app.context_processor(template_helpers)
    digest.register()
