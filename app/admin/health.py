"""The health of the region on the admin's start page: e-mail that failed, the
scheduler, and accounts nobody has used for a while. Each figure counts the list it
links to, with that list's criterion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from app.auth.models import User
from app.clock import utcnow
from app.extensions import db
from app.mail.models import MailMessage, MailStatus
from app.main.service import register_panel
from app.scheduler.service import stale_heartbeat_warnings
from app.viewer import Viewer

FAILED_MAIL_DAYS = 7
IDLE_DAYS = 90


def failed_mail_criterion(days: int = FAILED_MAIL_DAYS) -> sa.ColumnElement[bool]:
    """E-mail that failed in the last `days` days (/admin/mail?status=failed&days=…)."""
    return sa.and_(MailMessage.status == MailStatus.FAILED,
                   MailMessage.created_at >= utcnow() - timedelta(days=days))


def idle_criterion(days: int = IDLE_DAYS) -> sa.ColumnElement[bool]:
    """Active accounts without a login in `days` days, counting an account never used
    from its creation (/admin/users?idle=…)."""
    since = utcnow() - timedelta(days=days)
    return sa.and_(User.active.is_(True),
                   sa.func.coalesce(User.last_login_at, User.created_at) < since)


def panel_context(user: Viewer) -> dict[str, Any] | None:
    if not user.is_admin:
        return None
    failed = db.session.scalar(sa.select(sa.func.count()).select_from(MailMessage)
                               .where(failed_mail_criterion())) or 0
    idle = db.session.scalar(sa.select(sa.func.count()).select_from(User)
                             .where(idle_criterion())) or 0
    return {"failed_mail": failed, "mail_days": FAILED_MAIL_DAYS, "idle_users": idle,
            "idle_days": IDLE_DAYS, "scheduler": stale_heartbeat_warnings()}


def register() -> None:
    register_panel("admin/_health_panel.html", panel_context, order=1)
