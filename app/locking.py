"""Optimistic locking: an edit names the version it started from, and the UPDATE
itself checks it (version in the WHERE clause), so a stale edit never overwrites."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from flask import abort

from app.extensions import db
from app.input_rules import whole_number


class StaleVersion(Exception):
    """Someone saved a newer version first; `current` is the object as it is now."""

    def __init__(self, current: Any, submitted_version: int | None) -> None:
        super().__init__(f"stale version {submitted_version}")
        self.current = current
        self.submitted_version = submitted_version


def update_versioned(obj: Any, submitted_version: int | None, values: dict[str, Any]) -> None:
    """Write `values` to `obj` only if its stored version is still `submitted_version`.

    The model needs an integer `version` column. On success the object is
    refreshed (version + 1); otherwise StaleVersion carries the stored object.
    The caller commits (with its audit event) or rolls back.
    """
    model = type(obj)
    if submitted_version is None or int(submitted_version) != obj.version:
        db.session.refresh(obj)
        raise StaleVersion(obj, submitted_version)
    result = cast(sa.CursorResult, db.session.execute(
        sa.update(model)
        .where(model.id == obj.id, model.version == int(submitted_version))
        .values(**values, version=model.version + 1)
        .execution_options(synchronize_session=False)
    ))
    if result.rowcount != 1:
        db.session.rollback()
        current = db.session.get(model, obj.id, populate_existing=True)
        raise StaleVersion(current, submitted_version)
    db.session.refresh(obj)


def submitted_version(text: str | None) -> int:
    """The version an edit form says its edit started from. Only our forms send it, as a
    whole number: anything else was made by hand (400), unlike an old version, which is a
    conflict (StaleVersion, 409)."""
    version = whole_number(text)
    if version is None:
        abort(400)
    return version
