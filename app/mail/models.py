"""The log of every e-mail the application tried to send."""

from __future__ import annotations

import enum
from datetime import datetime
from email.utils import make_msgid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db_types import enum_column
from app.extensions import Model


class MailStatus(enum.StrEnum):
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # The sender stopped while the mail server was answering and nothing sent it again
    # (app.deliveries): it may or may not have arrived. Final, unless a retry sends it.
    UNKNOWN = "unknown"


def new_message_id() -> str:
    """A fresh Message-ID header value. Deliveries make theirs when they claim, before
    the message is composed, so that a resend after a crash carries the same one."""
    return make_msgid(domain="etablera.local")


class MailMessage(Model):
    """One outgoing message: who, what kind, when, and whether it left.

    The row is committed as `sending` before the transport is called, so a
    crash mid-send still leaves a trace. `subject` and `body_text` are the
    log's own copy with every secret replaced by "[borttaget]" (see
    app.mail.redaction); `body_text` is None for messages logged before the
    log kept copies. The leads a message is about are `MailMessageLead` rows:
    admins see the copy only when they may see every one of them. With the
    file transport `eml_path` names the written file, for developers; the
    admin pages never read it.

    `message_id` is the Message-ID header sent. `possible_duplicate` marks a
    message sent again after its sender died while talking to the mail server
    (the outcome of the first try is unknown): the recipient may have two
    copies, both with this Message-ID (see app.deliveries).
    """

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str] = mapped_column(sa.String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus, 16))
    error: Mapped[str | None] = mapped_column(sa.Text)
    eml_path: Mapped[str | None] = mapped_column(sa.String(500))
    body_text: Mapped[str | None] = mapped_column(sa.Text)
    message_id: Mapped[str | None] = mapped_column(sa.String(255))
    possible_duplicate: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def sent(self) -> bool:
        return self.status == MailStatus.SENT

    @property
    def failed(self) -> bool:
        return self.status == MailStatus.FAILED


class MailMessageLead(Model):
    """A lead a logged message is about: one for a lead-shared mail or a follow-up
    reminder, every listed lead for a digest. Leads are never deleted, so the link
    stays (the foreign key has no ON DELETE: deleting such a lead fails rather than
    unveiling the message)."""

    __tablename__ = "mail_message_leads"

    mail_message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mail_messages.id", ondelete="CASCADE"), primary_key=True
    )
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"), primary_key=True, index=True)
