"""The one way events reach people in the product. Each event names its readers (the
callers choose them under the lead-access rules) and says only what every reader may
see: a lead by its codename, never its company or internal text.

Kinds and their wording (in the reader's language, when shown):
- lead_shared: a lead was shared with the reader's municipality (or its level changed)
- share_revoked: that share was withdrawn (no link: the reader no longer sees the lead)
- partner_answered: a partner answered on the reader's municipality's lead
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import Role, User
from app.clock import utcnow
from app.extensions import db
from app.leads.labels import RESPONSE_LABELS, SHARE_LEVEL_LABELS
from app.notifications.models import Notification
from app.viewer import Viewer

SHOWN = 100


def municipality_readers(municipality_id: int) -> list[User]:
    """The municipality's active advisors and viewers: who works its matters."""
    return list(db.session.scalars(sa.select(User).where(
        User.municipality_id == municipality_id, User.active.is_(True),
        User.role.in_([Role.ADVISOR, Role.VIEWER]))))


def notify(readers: Iterable[Any], kind: str, params: dict[str, Any], url: str | None,
           actor: Viewer | None = None) -> int:
    """One notification per reader (not the actor: nobody is told of their own act).
    Added to the session; the caller's commit stores them with its change."""
    count = 0
    for reader in readers:
        if actor is not None and reader.id == getattr(actor, "id", None):
            continue
        db.session.add(Notification(user_id=reader.id, kind=kind, params=params, url=url))
        count += 1
    return count


def text_of(notification: Notification) -> str:
    params = notification.params or {}
    if notification.kind == "lead_shared":
        return _("%(owner)s shared %(codename)s with your municipality (%(level)s)",
                 owner=params.get("owner", ""), codename=params.get("codename", ""),
                 level=_level(params.get("level")))
    if notification.kind == "share_revoked":
        return _("%(owner)s no longer shares %(codename)s with your municipality",
                 owner=params.get("owner", ""), codename=params.get("codename", ""))
    if notification.kind == "partner_answered":
        return _("%(partner)s answered on %(codename)s: %(response)s",
                 partner=params.get("partner", ""), codename=params.get("codename", ""),
                 response=_response(params.get("response")))
    return notification.kind


def _level(value: str | None) -> str:
    labels = {level.value: label for level, label in SHARE_LEVEL_LABELS.items()}
    return str(labels.get(value, value)) if value else ""


def _response(value: str | None) -> str:
    labels = {response.value: label for response, label in RESPONSE_LABELS.items()}
    return str(labels.get(value, value)) if value else ""


def unread_count(user: Viewer) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def notifications_of(user: Viewer) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(SHOWN)))


def mark_read(user: Viewer, notification_id: int) -> Notification | None:
    """The reader's own notification, now read; None for anyone else's (404)."""
    notification = db.session.scalar(sa.select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user.id))
    if notification is not None and notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: Viewer) -> None:
    db.session.execute(sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(
        read_at=utcnow()))
    db.session.commit()
