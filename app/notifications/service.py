"""The one way events reach people in the product. Each event names its readers (the
callers choose them under the lead-access rules) and says only what every reader may
see: a lead by its codename, never its company or internal text.

Kinds and their wording (in the reader's language, when shown); topics.py groups them
for the reader's e-mail choice:
- lead_shared: a lead was shared with the reader's municipality (or its level changed)
- share_revoked: that share was withdrawn (no link: the reader no longer sees the lead)
- partner_answered: a partner answered on the reader's municipality's lead
- mentioned: someone mentioned the reader ("@Name") in an activity of a lead
- lead_handed_over: someone handed another user's leads and follow-ups over to the reader
- followup_assigned: someone gave the reader a follow-up on a lead
- candidate_proposed: a site of the reader's municipality was proposed for a lead, or a
  partner proposed a site for the reader's municipality's lead
- reservation_ending / reservation_expired: a reservation of the reader's lead or of a
  site of the reader's municipality ends in 60, 30 or 7 days, or has ended
- pack_opened: the company opened a prospect pack of the reader's lead (first opening)
- export_ready: the reader's export can be downloaded
- web_inquiry: a web or partner-system inquiry arrived for the reader's municipality
  (app/intake)

E-mail: a notification made with the channel "now" is queued on the session and sent by
`send_queued()` after the change that made it is committed (after each request, and by
the senders that run outside requests); the scheduler's "notifications" reminder sender
retries what failed (app/notifications/email.py). "digest" ones go into the weekly digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db
from app.input_rules import FieldErrors
from app.notifications.email import send_notifications
from app.notifications.models import Notification, NotificationSetting
from app.notifications.topics import TOPIC_OF_KIND, TOPICS, Channel, Topic
from app.viewer import Viewer

SHOWN = 100
# db.session.info keys: notifications "at once" made in the open transaction, and committed
PENDING, COMMITTED = "notifications_pending", "notifications_committed"
TOPIC_KEYS = frozenset(topic.key for topic in TOPICS)


def municipality_readers(municipality_id: int) -> list[User]:
    """The municipality's active advisors and viewers: who works its matters."""
    return list(db.session.scalars(sa.select(User).where(
        User.municipality_id == municipality_id, User.active.is_(True),
        User.role.in_([Role.ADVISOR, Role.VIEWER]))))


def name_of(viewer: Viewer) -> str:
    """The display name of the person acting (a Viewer carries no name)."""
    user = db.session.get(User, viewer.id)
    return user.name if user is not None else ""


def municipality_name(municipality_id: int) -> str:
    municipality = db.session.get(Municipality, municipality_id)
    return municipality.name if municipality is not None else ""


def notify(readers: Iterable[Any], kind: str, params: dict[str, Any], url: str | None,
           actor: Viewer | None = None, lead_id: int | None = None) -> list[Notification]:
    """One notification per reader (not the actor: nobody is told of their own act), with
    the e-mail channel each reader chose for its topic. Added to the session; the caller's
    commit stores them with its change, then `send_queued()` e-mails those due at once."""
    actor_id = getattr(actor, "id", None)
    readers = [reader for reader in readers if reader.id != actor_id]
    channels = channels_for([reader.id for reader in readers], TOPIC_OF_KIND[kind])
    made = []
    for reader in readers:
        channel = channels[reader.id]
        notification = Notification(user_id=reader.id, kind=kind, params=params, url=url,
                                    lead_id=lead_id,
                                    email=None if channel == Channel.OFF else channel)
        db.session.add(notification)
        made.append(notification)
        if channel == Channel.NOW:
            db.session.info.setdefault(PENDING, []).append(notification)
    return made


def channels_for(user_ids: list[int], topic: Topic) -> dict[int, Channel]:
    """Each user's e-mail channel for `topic` (its default where they chose none)."""
    chosen = dict(db.session.execute(sa.select(
        NotificationSetting.user_id, NotificationSetting.channel).where(
        NotificationSetting.user_id.in_(user_ids), NotificationSetting.topic == topic.key))
        .all()) if user_ids else {}
    return {user_id: chosen.get(user_id, topic.default) for user_id in user_ids}


def settings_of(user: Viewer) -> dict[str, Channel]:
    """The user's channel per topic key."""
    chosen = dict(db.session.execute(sa.select(
        NotificationSetting.topic, NotificationSetting.channel).where(
        NotificationSetting.user_id == user.id)).all())
    return {topic.key: chosen.get(topic.key, topic.default) for topic in TOPICS}


def save_settings(user: Viewer, choices: dict[str, str]) -> None:
    """Store the user's channel per topic (unknown topics or channels are refused)."""
    errors = {key: [str(_l("Not a valid choice."))] for key, value in choices.items()
              if key not in TOPIC_KEYS or value not in Channel._value2member_map_}
    if errors:
        raise FieldErrors(errors)
    stored = {setting.topic: setting for setting in db.session.scalars(
        sa.select(NotificationSetting).where(NotificationSetting.user_id == user.id))}
    for key, value in choices.items():
        setting = stored.get(key)
        if setting is None:
            db.session.add(NotificationSetting(user_id=user.id, topic=key,
                                               channel=Channel(value)))
        else:
            setting.channel = Channel(value)
    db.session.commit()


@sa.event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    """Notifications "at once" become sendable when their change is committed (their ids
    are known without a query: no SQL may run here)."""
    pending = session.info.pop(PENDING, [])
    if pending:
        session.info.setdefault(COMMITTED, []).extend(
            sa.inspect(notification).identity[0] for notification in pending)


@sa.event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous) -> None:
    session.info.pop(PENDING, None)  # never stored: nothing to send


def send_queued() -> int:
    """E-mail the notifications "at once" whose change this session committed; how many
    were sent. A notification of a change rolled back is never sent."""
    ids = db.session.info.pop(COMMITTED, [])
    return send_notifications(ids) if ids else 0


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
