"""Deliveries that go out once: claimed before sending, retried until sent.

A delivery model (the weekly `DigestDelivery(user, iso_week)`, a follow-up's
`ReminderDelivery(follow_up, remind_at)`) mixes in `DeliveryMixin` and has a
unique constraint over its key columns. The rules, for every such model:

- Never twice. Before sending, a process *claims* the delivery: an INSERT …
  ON CONFLICT DO NOTHING of the key in state `sending` (or, for a row that
  exists, a conditional UPDATE that only matches a retryable row), committed
  before the mail server is contacted. Only the process whose statement
  changed the row sends.
- Never lost. The claim moves `sending` → `sent` or `failed` (keeping the
  error). A claim still `sending` after DELIVERY_LEASE (15 min) counts as
  failed: its sender died. Failed deliveries are claimed again by later runs
  after a back-off (DELIVERY_RETRY_BASE doubled per attempt) until
  DELIVERY_MAX_ATTEMPTS; then they have *given up* and admins see them in red.
- `skipped` is a final outcome for a delivery with nothing to send (an empty
  digest), so later runs in the same period do not reconsider it.
- After a crash, the mail log decides. The first claim fixes the delivery's
  Message-ID, and the mail-log row (`MailMessage`, committed as `sending`
  before the mail server is contacted) is recorded on the claim in the same
  commit. A claim taken over whose mail-log row says `sent` is finished: the
  sender died after the server's answer but before recording the claim, and
  nothing is resent. One whose row still says `sending` has an unknown outcome:
  it is sent again with the same Message-ID, in the same log row, which is then
  marked a possible duplicate. Every attempt of a delivery carries the same
  Message-ID, so a receiving system can tell the copies are one message.

So each delivery is sent exactly once, unless a process dies between the mail
server's answer and the commit of that answer; then at most one more copy
with the same Message-ID goes out, marked in the log.

Usage (the whole protocol in one call; `send` gets the claim and passes it to
`app.mail.service.deliver` or `send_to_user` as `delivery=`):

    outcome = run_delivery(DigestDelivery, {"user_id": u.id, "iso_week": "2026-W48"},
                           lambda held: send_to_user(u, ..., delivery=held))
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db_types import enum_column
from app.extensions import db
from app.mail.models import MailMessage, MailStatus, new_message_id


class DeliveryStatus(enum.StrEnum):
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class DeliveryMixin:
    """Columns of a claimable delivery. The model adds its key columns and a
    UniqueConstraint over them, and may override `describe()` for admins."""

    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus, 16))
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # Fixed by the first claim; every attempt sends this Message-ID.
    message_id: Mapped[str | None] = mapped_column(sa.String(255))
    # The mail-log row of the latest attempt, recorded before the server is contacted.
    mail_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mail_messages.id", ondelete="SET NULL"))

    def describe(self) -> str:
        return f"{type(self).__name__} {getattr(self, 'id', None)}"

    def lease_expired(self, now: datetime | None = None) -> bool:
        lease = current_app.config["DELIVERY_LEASE"]
        return self.status == DeliveryStatus.SENDING and self.claimed_at + lease <= (now or utcnow())

    def effective_status(self, now: datetime | None = None) -> DeliveryStatus:
        """`sending` past its lease reads as `failed`."""
        return DeliveryStatus.FAILED if self.lease_expired(now) else self.status


class Outcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    NOT_CLAIMED = "not_claimed"  # another process has it, or it is done, or waits for back-off


@dataclass
class Claim:
    """A claim this process holds: the row's id, the attempt number it claimed, the
    delivery's Message-ID and the mail-log row of the previous attempt (if any).
    Set by `run_delivery`: `outcome_unknown`, that attempt's sender died while
    sending (its log row, still `sending`, is reused); `possible_duplicate`, the
    recipient may already have a copy (this attempt's log row says so)."""

    model: type[Any]
    id: int
    attempt: int
    message_id: str
    mail_message_id: int | None = None
    outcome_unknown: bool = False
    possible_duplicate: bool = False


# Every delivery model, so admins see all that gave up (part of the admin mail page).
DELIVERY_MODELS: list[type] = []


def register_delivery_model(model: type[Any]) -> type:
    if model not in DELIVERY_MODELS:
        DELIVERY_MODELS.append(model)
    return model


def _settings() -> tuple[Any, int, Any]:
    config = current_app.config
    return config["DELIVERY_LEASE"], config["DELIVERY_MAX_ATTEMPTS"], config["DELIVERY_RETRY_BASE"]


def claimable(model: type[Any], now: datetime) -> sa.ColumnElement[bool]:
    """SQL: an existing row this process may claim now (failed and due for a retry,
    or stuck in `sending` past the lease), with attempts left. Combine with an
    outer join for rows that do not exist yet."""
    lease, max_attempts, _base = _settings()
    return sa.and_(
        model.attempts < max_attempts,
        sa.or_(
            sa.and_(
                model.status == DeliveryStatus.FAILED,
                sa.or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now),
            ),
            sa.and_(model.status == DeliveryStatus.SENDING, model.claimed_at <= now - lease),
        ),
    )


def _insert(model: type[Any]):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"deliveries need SQLite or PostgreSQL, not {dialect}")


def _key_filter(model: type[Any], key: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
    return [getattr(model, name) == value for name, value in key.items()]


def claim(model: type[Any], key: dict[str, Any], now: datetime | None = None) -> Claim | None:
    """Claim the delivery `key` of `model` for this process, committed; None when
    another process holds it, it is finished, or it waits for its back-off."""
    now = now or utcnow()
    message_id = new_message_id()
    returned = (model.id, model.attempts, model.message_id, model.mail_message_id)
    # RETURNING tells whether this statement wrote the row (rowcount is not reliable
    # for INSERT … ON CONFLICT with every driver).
    inserted = db.session.execute(
        _insert(model)
        .values(**key, status=DeliveryStatus.SENDING, attempts=1, claimed_at=now,
                message_id=message_id)
        .on_conflict_do_nothing()
        .returning(*returned)
    ).first()
    if inserted is None:
        inserted = db.session.execute(
            sa.update(model)
            .where(*_key_filter(model, key), claimable(model, now))
            .values(status=DeliveryStatus.SENDING, attempts=model.attempts + 1, claimed_at=now,
                    next_attempt_at=None,
                    # rows claimed before deliveries kept a Message-ID get one now
                    message_id=sa.func.coalesce(model.message_id, message_id))
            .returning(*returned)
            .execution_options(synchronize_session=False)
        ).first()
    if inserted is None:
        db.session.rollback()
        return None
    db.session.commit()
    return Claim(model, inserted.id, inserted.attempts, inserted.message_id,
                 inserted.mail_message_id)


def record_mail_message(claim_: Claim, mail_message_id: int) -> None:
    """Note the mail-log row of this attempt on the claim, in the caller's transaction
    (`deliver` commits it with the row itself, before contacting the server)."""
    model = claim_.model
    db.session.execute(
        sa.update(model)
        .where(model.id == claim_.id, model.attempts == claim_.attempt)
        .values(mail_message_id=mail_message_id)
        .execution_options(synchronize_session=False)
    )
    claim_.mail_message_id = mail_message_id


def _earlier_attempt(claim_: Claim) -> tuple[MailStatus | None, bool]:
    """What the mail log says about the previous attempt of this delivery: its status
    (None: no attempt reached the log, so nothing was sent) and whether it was
    already a possible duplicate."""
    if claim_.mail_message_id is None:
        return None, False
    row = db.session.execute(
        sa.select(MailMessage.status, MailMessage.possible_duplicate)
        .where(MailMessage.id == claim_.mail_message_id)).first()
    return (row.status, row.possible_duplicate) if row is not None else (None, False)


def finish(claim_: Claim, outcome: Outcome, error: str | None = None,
           now: datetime | None = None) -> None:
    """Record the outcome of a claim (only while this process still holds it)."""
    now = now or utcnow()
    model = claim_.model
    values: dict[str, Any] = {"finished_at": now}
    if outcome == Outcome.FAILED:
        _lease, max_attempts, base = _settings()
        values.update(
            status=DeliveryStatus.FAILED,
            last_error=(error or "unknown error")[:2000],
            next_attempt_at=now + base * 2 ** (claim_.attempt - 1),
        )
    else:
        values.update(status=DeliveryStatus(outcome.value), last_error=None, next_attempt_at=None)
    db.session.execute(
        sa.update(model)
        .where(model.id == claim_.id, model.attempts == claim_.attempt,
               model.status == DeliveryStatus.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_delivery(model: type[Any], key: dict[str, Any], send: Callable[[Claim], Any],
                 now: datetime | None = None) -> Outcome:
    """Claim, send, record. `send(claim)` returns a `MailMessage` (its status decides
    sent or failed) or None for nothing to send (skipped); if it raises, the
    delivery is recorded as failed and the exception propagates.

    A claim whose previous attempt the mail log records as sent (its sender died
    before finishing the claim) is finished as sent without calling `send`
    (NOT_CLAIMED: this run sent nothing). One whose previous attempt is still
    `sending` in the log is sent again as a possible duplicate (see the module)."""
    held = claim(model, key, now)
    if held is None:
        return Outcome.NOT_CLAIMED
    earlier, was_possible_duplicate = _earlier_attempt(held)
    if earlier == MailStatus.SENT:
        finish(held, Outcome.SENT)
        return Outcome.NOT_CLAIMED
    held.outcome_unknown = earlier in (MailStatus.SENDING, MailStatus.UNKNOWN)
    held.possible_duplicate = held.outcome_unknown or was_possible_duplicate
    try:
        message = send(held)
    except Exception as error:
        db.session.rollback()
        finish(held, Outcome.FAILED, f"{type(error).__name__}: {error}")
        raise
    if message is None:
        if held.outcome_unknown and held.mail_message_id is not None:
            _close_unknown(held.mail_message_id, "nothing left to send on the retry")
        finish(held, Outcome.SKIPPED)
        return Outcome.SKIPPED
    if getattr(message, "sent", False):
        finish(held, Outcome.SENT)
        return Outcome.SENT
    finish(held, Outcome.FAILED, getattr(message, "error", None))
    return Outcome.FAILED


def _close_unknown(mail_message_id: int, why: str) -> None:
    """A mail-log row left `sending` by a sender that stopped, which nothing will send
    again: its outcome is unknown (final), with the reason (committed by the caller)."""
    db.session.execute(
        sa.update(MailMessage)
        .where(MailMessage.id == mail_message_id, MailMessage.status == MailStatus.SENDING)
        .values(status=MailStatus.UNKNOWN,
                error=f"The sender stopped while the mail server was answering; not sent "
                      f"again: {why}.")
        .execution_options(synchronize_session=False))


def close_abandoned_mail(now: datetime | None = None) -> int:
    """Mail-log rows still `sending` twice the lease after they were written: their sender
    stopped (a delivery still being retried sends them again and marks them sent; a
    delivery that will not be retried, e.g. of a follow-up since done or deleted, or a
    mail outside the deliveries, never will). Each becomes `unknown`. Run by the
    scheduler every ten minutes; returns how many."""
    now = now or utcnow()
    lease, _attempts, _base = _settings()
    stale = list(db.session.scalars(sa.select(MailMessage.id).where(
        MailMessage.status == MailStatus.SENDING, MailMessage.created_at < now - 2 * lease)))
    for mail_message_id in stale:
        _close_unknown(mail_message_id, "no retry was due")
    db.session.commit()
    return len(stale)


def given_up(model: type[Any], now: datetime | None = None, limit: int = 100) -> list[Any]:
    """Deliveries of `model` that failed DELIVERY_MAX_ATTEMPTS times (newest first); not
    one whose last sender died after the mail log recorded the message as sent."""
    now = now or utcnow()
    lease, max_attempts, _base = _settings()
    return list(
        db.session.scalars(
            sa.select(model)
            .outerjoin(MailMessage, MailMessage.id == model.mail_message_id)
            .where(
                sa.or_(MailMessage.id.is_(None), MailMessage.status != MailStatus.SENT),
                model.attempts >= max_attempts,
                sa.or_(
                    model.status == DeliveryStatus.FAILED,
                    sa.and_(model.status == DeliveryStatus.SENDING,
                            model.claimed_at <= now - lease),
                ),
            )
            .order_by(model.claimed_at.desc())
            .limit(limit)
        )
    )


def all_given_up(now: datetime | None = None) -> list[Any]:
    return [row for model in DELIVERY_MODELS for row in given_up(model, now)]
