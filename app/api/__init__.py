"""JSON API v1: bearer tokens only, no CSRF, session cookies ignored.

Features add their own endpoints with `make_api_blueprint` (app/api/common.py)
and describe them with `register_openapi`.
"""


def init_app(app) -> None:
    from app.api.common import ApiError, handle_api_error
    from app.api.routes import bp, docs

    app.register_blueprint(bp)
    app.register_blueprint(docs)
    app.register_error_handler(ApiError, handle_api_error)
