"""Intake: the partner systems that post inquiries, their idempotency keys, the bots the
public form turned away (counted per day), and the reminder of an unanswered inquiry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.deliveries import DeliveryMixin, register_delivery_model
from app.extensions import Model
from app.leads.models import Lead


class IntakeClient(Model):
    """A partner system (Business Sweden, a regional CRM) that may only post inquiries
    (`POST /api/v1/inquiries`); only its token's SHA-256 is stored."""

    __tablename__ = "intake_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    source: Mapped[str] = mapped_column(sa.String(20))  # a leads.models.Source value
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class IdempotencyKey(Model):
    """An `Idempotency-Key` of a client: the body it came with (SHA-256) and the answer
    given, replayed for a repeat within KEY_LIFETIME (app/intake/api.py)."""

    __tablename__ = "intake_idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("client_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("intake_clients.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(200))
    body_hash: Mapped[str] = mapped_column(sa.String(64))
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("leads.id", ondelete="SET NULL"))
    response: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class BotCount(Model):
    """How many submissions of the public form were taken for a bot's, per day and reason
    (`honeypot`, `too_fast`); nothing else of them is stored."""

    __tablename__ = "intake_bot_counts"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    reason: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


@register_delivery_model
class UnansweredReminder(DeliveryMixin, Model):
    """The e-mail telling a lead's owner that its web inquiry waits for an answer for
    more than two working days: one per lead."""

    __tablename__ = "intake_unanswered_reminders"
    __table_args__ = (sa.UniqueConstraint("lead_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"))

    lead: Mapped[Lead] = relationship(lazy="joined")

    def describe(self) -> str:
        # no codename: admins read this for every municipality, confidential leads included
        return f"unanswered inquiry reminder · lead {self.lead_id}"


class InquiryReceipt(Model):
    """The receipt owed to the submitter of a web or API inquiry, queued with the lead in
    the same commit: the contact the inquiry created (its address, read when sending, so
    an erased contact gets nothing) and the language of the form or request."""

    __tablename__ = "inquiry_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"),
                                         unique=True)
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    locale: Mapped[str] = mapped_column(sa.String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


@register_delivery_model
class InquiryReceiptDelivery(DeliveryMixin, Model):
    """The e-mail of one receipt: claimed before sending, retried until sent
    (app/deliveries.py)."""

    __tablename__ = "inquiry_receipt_deliveries"
    __table_args__ = (sa.UniqueConstraint("receipt_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("inquiry_receipts.id", ondelete="CASCADE"))

    receipt: Mapped[InquiryReceipt] = relationship(lazy="joined")

    def describe(self) -> str:
        # no address: admins read this for every municipality
        return f"inquiry receipt · lead {self.receipt.lead_id}"
