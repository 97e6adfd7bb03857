"""What the admin start page reports; later features add their warnings."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db


def admin_status() -> dict[str, Any]:
    active = db.session.scalar(sa.select(sa.func.count()).where(User.active.is_(True)))
    return {"active_users": active, "warnings": []}
