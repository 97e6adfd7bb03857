"""A notification: an event for one reader, stored as its kind and parameters (worded in
the reader's language when shown), a link, and whether it was read; the reader's e-mail
choices; the e-mail of a notification sent at once (a delivery claim: sent once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db_types import enum_column
from app.deliveries import DeliveryMixin, register_delivery_model
from app.extensions import Model
from app.notifications.topics import Channel


class Notification(Model):
    """Belongs to its reader (`user_id`): only that user reads it
    (app/notifications/service.py filters every query by the reader). `email` is the
    reader's choice for its topic when it was made (None: no e-mail); `lead_id` the lead
    it is about, if any (its e-mail is sent only while the reader may see that lead)."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
                      sa.Index("ix_notifications_email_created", "email", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    url: Mapped[str | None] = mapped_column(sa.String(300))
    lead_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    email: Mapped[Channel | None] = mapped_column(enum_column(Channel, 10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class NotificationSetting(Model):
    """A user's choice for one topic (app/notifications/topics.py); a topic without a row
    has its default. Read and written by its user only."""

    __tablename__ = "notification_settings"
    __table_args__ = (sa.UniqueConstraint("user_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(sa.String(20))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 10))


@register_delivery_model
class NotificationDelivery(DeliveryMixin, Model):
    """The e-mail of one notification chosen "at once"."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (sa.UniqueConstraint("notification_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="CASCADE"))

    notification: Mapped[Notification] = relationship(lazy="joined")

    def describe(self) -> str:
        # the kind only: admins read this for every municipality
        return f"notification {self.notification_id} · {self.notification.kind}"
