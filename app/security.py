"""Response headers that keep pages to our own assets."""

from __future__ import annotations

from flask import Flask, Response


def _set_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_headers)
