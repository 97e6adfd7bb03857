"""Who sees an export: its requester alone (admins included).

The scope rule bounds exports to the requester's municipality: app.scope's rules read
nothing of a user but `scope_key` (statements built from them are reused for every user
with the same key, app.caching.reused_statement), so the rule cannot name the user.
`own_exports` narrows that to the user's own; every query of exports goes through it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.exports.models import Export
from app.scope import scope_rule, select_visible
from app.viewer import Viewer


@scope_rule(Export)
def export_rule(user: Viewer) -> ColumnElement[bool]:
    return Export.municipality_id == user.municipality_id


def own_exports(user: Viewer) -> sa.Select[Export]:
    """The user's own exports: within the scope rule, and asked for by the user."""
    return select_visible(user, Export).where(Export.user_id == user.id)
