"""The audit trail: services record what changed; nothing is gone without a trace."""

from __future__ import annotations

import decimal
import enum
from datetime import date, datetime
from typing import Any

from app.core.models import AuditEvent
from app.extensions import db
from app.viewer import Viewer


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of `value` (lazy strings, dates, enums and decimals made plain)."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    actor: Viewer | None,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    municipality_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session; the calling service commits it with its change."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),  # None: the system, or nobody signed in
        action=action,
        object_type=object_type,
        object_id=object_id,
        municipality_id=municipality_id,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )
    db.session.add(event)
    return event


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}
