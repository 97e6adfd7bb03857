"""Who sees an export: its requester, nobody else (admins included)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from app.exports.models import Export
from app.scope import scope_rule


@scope_rule(Export)
def export_rule(user: Any) -> ColumnElement[bool]:
    # Reads the user's id, which app.scope.scope_key leaves out: never build an Export
    # statement through app.caching.reused_statement.
    return Export.user_id == user.id
