"""What the admin start page reports. Features add warnings (shown as red banners)
with `register_warning_check`: a function returning a list of messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db

_WARNING_CHECKS: list[Callable[[], list[str]]] = []


def register_warning_check(check: Callable[[], list[str]]) -> None:
    if check not in _WARNING_CHECKS:
        _WARNING_CHECKS.append(check)


def admin_status() -> dict[str, Any]:
    active = db.session.scalar(sa.select(sa.func.count()).where(User.active.is_(True)))
    warnings = [message for check in _WARNING_CHECKS for message in check()]
    return {"active_users": active, "warnings": warnings}
