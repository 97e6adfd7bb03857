"""`Viewer`: what the rules may read of the person they decide for.

The access modules (app/scope.py, app/leads/access.py, app/sites/access.py) and the
services below them take a viewer, not a `User`: a signed-in `app.auth.models.User`
is one, and so is any stand-in with these attributes. Reading nothing else keeps the
per-process caches keyed by `app.scope.scope_key` honest. Code that needs more of a
person (name, e-mail, locale) takes a `User`.

Nobody signed in (Flask-Login's anonymous user, or `None`) passes where a function's
type says `Viewer | None`; the rules then see nothing.
"""

from __future__ import annotations

from typing import Protocol


class Viewer(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def municipality_id(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_advisor(self) -> bool: ...
