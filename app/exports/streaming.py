"""Streamed responses (CSV exports) that read the database while the server sends."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from flask import stream_with_context
from flask_babel import force_locale, get_locale

from app.extensions import db
from app.viewer import Viewer

T = TypeVar("T", str, bytes)  # what a response body is made of


def stream_for(user: Viewer, produce: Callable[[Any], Iterable[T]]) -> Iterator[T]:
    """The body `produce(user)` for a streamed response. The server iterates it after the
    view has returned, when the request's user object may be expired or detached (the
    request's transaction ended), so `produce` gets the user loaded again and runs in the
    request's language without asking the user object for it."""
    from app.auth.models import User

    user_id, locale = user.id, str(get_locale())

    def generate() -> Iterator[T]:
        with force_locale(locale):
            yield from produce(db.session.get(User, user_id))

    return stream_with_context(generate())
