"""Follow-up reminders: a follow-up with a reminder time e-mails its assignee.

The scheduler calls `send_follow_up_reminders(now)` every minute (through
`app.reminders.service.send_due_reminders`, as does `flask reminders send-due`).
What is due comes from our tables: open follow-ups whose `remind_at` has passed,
within REMINDER_CATCH_UP (so a scheduler that was down sends what it missed,
but not reminders of long ago), with no `ReminderDelivery(follow_up, remind_at)`
that is done or in flight. Moving the reminder time is a new key and so a new
reminder; a done follow-up is not reminded; an assignee who can no longer see
the lead is not reminded (the delivery is recorded as skipped).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app import audit, scope
from app.auth.models import User
from app.clock import local_zone
from app.deliveries import Claim, Outcome, claimable, run_delivery
from app.extensions import db
from app.leads.access import can_edit
from app.leads.errors import PermissionDenied
from app.leads.models import FollowUp, Lead, ReminderDelivery
from app.mail.service import absolute_url_for, send_to_user
from app.viewer import Viewer

TEMPLATE = "follow_up_reminder"
BATCH = 200  # reminders per run; the next minute's run continues


def due_reminders(now: datetime, limit: int = BATCH) -> list[FollowUp]:
    """Open follow-ups whose reminder is due and not yet delivered (or due for a retry)."""
    earliest = now - current_app.config["REMINDER_CATCH_UP"]
    return list(db.session.scalars(
        sa.select(FollowUp)
        .join(User, User.id == FollowUp.assignee_id)
        .outerjoin(ReminderDelivery, sa.and_(ReminderDelivery.follow_up_id == FollowUp.id,
                                             ReminderDelivery.remind_at == FollowUp.remind_at))
        .where(FollowUp.remind_at.is_not(None), FollowUp.remind_at <= now,
               FollowUp.remind_at > earliest, FollowUp.done_at.is_(None), User.active.is_(True),
               sa.or_(ReminderDelivery.id.is_(None), claimable(ReminderDelivery, now)))
        .order_by(FollowUp.remind_at, FollowUp.id)
        .limit(limit)
    ))


def reminder_message(follow_up: FollowUp, lead: Lead) -> dict[str, Any]:
    """What the reminder says: title, due date, the codename and a link — never the company."""
    return {"title": follow_up.title, "due_on": follow_up.due_on, "codename": lead.codename,
            "link": absolute_url_for("leads.show", lead_id=lead.id)}


def send_reminder(follow_up: FollowUp, now: datetime) -> Outcome:
    assignee = follow_up.assignee
    remind_at = follow_up.remind_at

    def send(held: Claim):
        lead = scope.get_visible(assignee, Lead, follow_up.lead_id)
        if lead is None:  # the share was revoked: nothing the assignee may read
            return None
        context = reminder_message(follow_up, lead)
        return send_to_user(assignee, TEMPLATE,
                            lambda: _l("Reminder: %(title)s (%(codename)s)",
                                       title=context["title"], codename=context["codename"]),
                            leads=[lead], delivery=held, **context)

    return run_delivery(ReminderDelivery, {"follow_up_id": follow_up.id, "remind_at": remind_at},
                        send, now)


def send_follow_up_reminders(now: datetime) -> int:
    """The registered reminder sender: how many reminders this run sent."""
    sent = 0
    for follow_up in due_reminders(now):
        if send_reminder(follow_up, now) == Outcome.SENT:
            sent += 1
    return sent


def move_reminder(user: Viewer, follow_up: FollowUp, remind_at: datetime | None) -> FollowUp:
    """Set, move or clear the reminder time (the assignee, the creator or an editor of
    the lead). A new time is a new reminder, even after the old one was sent."""
    allowed = user.id in (follow_up.assignee_id, follow_up.created_by_id) or can_edit(
        user, follow_up.lead)
    if not allowed:
        raise PermissionDenied()
    before = {"remind_at": follow_up.remind_at}
    follow_up.remind_at = remind_at
    audit.record(user, "followup.reminder_moved", "lead", follow_up.lead_id, before=before,
                 after={"followup_id": follow_up.id, "remind_at": remind_at},
                 municipality_id=follow_up.lead.municipality_id)
    db.session.commit()
    return follow_up


def register() -> None:
    from app.reminders.service import register_reminder_sender

    register_reminder_sender("follow_ups", send_follow_up_reminders)


def local_input_value(moment: datetime | None) -> str:
    """An aware UTC time as the value of a datetime-local input (local wall-clock time)."""
    if moment is None:
        return ""

    return moment.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")
