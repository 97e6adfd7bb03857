"""Bearer-token authentication for the API; the session cookie plays no part."""

from __future__ import annotations

from flask import abort, g, request

from app.auth.models import User
from app.auth.service import user_for_api_token


def authenticate_request() -> None:
    """Before every API request: set g.api_user from the bearer token or answer 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    user = user_for_api_token(raw.strip()) if scheme.lower() == "bearer" and raw else None
    if user is None:
        abort(401)
    g.api_user = user


def api_user() -> User:
    return g.api_user
