"""Reminders that fall due: each feature registers a sender, the scheduler calls
`send_due_reminders()` every minute (and `flask reminders send-due` does too).

A sender is `sender(now) -> int` (how many it sent). It finds what is due in
its own tables and sends each through `app.deliveries.run_delivery`, so a
reminder goes out once and a failed one is retried:

    def send_follow_up_reminders(now):
        for follow_up in due_follow_ups(now):
            run_delivery(ReminderDelivery,
                         {"follow_up_id": follow_up.id, "remind_at": follow_up.remind_at},
                         lambda held: send_to_user(..., delivery=held), now)

    register_reminder_sender("follow_ups", send_follow_up_reminders)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from app.clock import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

ReminderSender = Callable[[datetime], int]
SENDERS: dict[str, ReminderSender] = {}


def register_reminder_sender(name: str, sender: ReminderSender) -> None:
    SENDERS[name] = sender


def unregister_reminder_sender(name: str) -> None:
    SENDERS.pop(name, None)


def send_due_reminders(now: datetime | None = None) -> dict[str, int]:
    """Run every registered sender; one that raises is logged and does not stop the others."""
    now = now or utcnow()
    sent: dict[str, int] = {}
    for name, sender in list(SENDERS.items()):
        try:
            sent[name] = sender(now)
        except Exception:
            db.session.rollback()
            log.exception("reminder sender %s failed", name)
            sent[name] = -1
    return sent
