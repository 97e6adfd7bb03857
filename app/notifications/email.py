"""Notifications by e-mail "at once": each through a delivery claim (app/deliveries.py),
so two scheduler processes never send one twice and a failed one is retried. Sent in the
reader's language, with the notification's own wording (a lead by its codename only), and
only while the reader may still see the lead it links to.

`send_queued()` (service.py) sends what a change made, right after its commit; the
registered reminder sender "notifications" sends every minute what is still due (a
failure to retry, or one queued by a process that stopped), within NOTIFICATION_CATCH_UP.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app import scope
from app.auth.models import User
from app.clock import utcnow
from app.deliveries import Claim, Outcome, claimable, run_delivery
from app.extensions import db
from app.leads.models import Lead
from app.mail.service import absolute_url, send_to_user
from app.notifications.models import Notification, NotificationDelivery
from app.notifications.topics import Channel
from app.notifications.wording import text_of

TEMPLATE = "notification"
CATCH_UP = timedelta(days=2)  # older ones are left to the product (and the bell)
BATCH = 200


def due_notifications(now: datetime, limit: int = BATCH) -> list[int]:
    """Notifications chosen "at once", not yet e-mailed (or due for a retry)."""
    return list(db.session.scalars(
        sa.select(Notification.id)
        .join(User, User.id == Notification.user_id)
        .outerjoin(NotificationDelivery,
                   NotificationDelivery.notification_id == Notification.id)
        .where(Notification.email == Channel.NOW, Notification.created_at > now - CATCH_UP,
               Notification.created_at <= now, User.active.is_(True),
               sa.or_(NotificationDelivery.id.is_(None),
                      claimable(NotificationDelivery, now)))
        .order_by(Notification.created_at, Notification.id).limit(limit)))


def send_notification(notification_id: int, now: datetime | None = None) -> Outcome:
    def send(held: Claim):
        notification = db.session.get(Notification, notification_id)
        reader = db.session.get(User, notification.user_id) if notification else None
        if notification is None or reader is None or not reader.is_active:
            return None
        lead = None
        if notification.lead_id is not None:
            lead = scope.get_visible(reader, Lead, notification.lead_id)
            if lead is None and notification.url is not None:
                return None  # no longer shared with the reader: nothing they may read now
        link = absolute_url(notification.url) if notification.url else None
        return send_to_user(reader, TEMPLATE, lambda: text_of(notification),
                            text=lambda: text_of(notification), link=link,
                            leads=[lead] if lead is not None else [], delivery=held)

    return run_delivery(NotificationDelivery, {"notification_id": notification_id}, send,
                        now or utcnow())


def send_notifications(notification_ids: list[int], now: datetime | None = None) -> int:
    return sum(send_notification(notification_id, now) == Outcome.SENT
               for notification_id in notification_ids)


def send_due_notifications(now: datetime) -> int:
    """The registered reminder sender."""
    return send_notifications(due_notifications(now), now)


def register() -> None:
    from app.reminders.service import register_reminder_sender

    register_reminder_sender("notifications", send_due_notifications)
