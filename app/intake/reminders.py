"""The reminder of an inquiry nobody answered: a web or API inquiry without a first
answer (app/leads/inquiries.py) two Swedish working days after it arrived
(app/workdays.py: public holidays and midsommarafton, julafton, nyårsafton from the
`holidays` package) e-mails its owner — the intake advisor — once. Registered as a
reminder sender: the scheduler runs it every minute, as does `flask reminders send-due`."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.deliveries import Claim, Outcome, claimable, run_delivery
from app.extensions import db
from app.intake.models import UnansweredReminder
from app.leads.models import OPEN_STAGES, Lead
from app.mail.service import absolute_url_for, send_to_user
from app.workdays import ANSWER_WORKING_DAYS, working_days_later

TEMPLATE = "inquiry_unanswered"
BATCH = 200
# No inquiry is older than this when it falls due (2 working days over the longest
# Swedish holiday run); older ones were missed long ago and are not reminded.
LOOK_BACK = timedelta(days=21)


def unanswered_due(now: datetime, limit: int = BATCH) -> list[Lead]:
    """Open web and API inquiries without an answer whose deadline has passed and whose
    reminder was not sent yet (or is due for a retry)."""
    candidates = db.session.scalars(
        sa.select(Lead)
        .join(User, User.id == Lead.owner_id)
        .outerjoin(UnansweredReminder, UnansweredReminder.lead_id == Lead.id)
        .where(Lead.inquiry_reference.is_not(None), Lead.first_answered_at.is_(None),
               Lead.stage.in_(OPEN_STAGES), User.active.is_(True),
               Lead.created_at <= now - timedelta(days=ANSWER_WORKING_DAYS),
               Lead.created_at > now - LOOK_BACK,
               sa.or_(UnansweredReminder.id.is_(None), claimable(UnansweredReminder, now)))
        .order_by(Lead.created_at, Lead.id).limit(limit))
    return [lead for lead in candidates
            if working_days_later(lead.created_at, ANSWER_WORKING_DAYS) <= now]


def send_reminder(lead: Lead, now: datetime) -> Outcome:
    owner = lead.owner

    def send(held: Claim):
        db.session.refresh(lead)
        if lead.first_answered_at is not None or lead.stage not in OPEN_STAGES:
            return None  # answered meanwhile: nothing to remind of
        return send_to_user(owner, TEMPLATE,
                            lambda: _l("Unanswered inquiry: %(codename)s",
                                       codename=lead.codename),
                            leads=[lead], delivery=held, codename=lead.codename,
                            reference=lead.inquiry_reference, received_at=lead.created_at,
                            link=absolute_url_for("leads.show", lead_id=lead.id))

    return run_delivery(UnansweredReminder, {"lead_id": lead.id}, send, now)


def send_unanswered_reminders(now: datetime) -> int:
    """The registered reminder sender: how many reminders this run sent."""
    return sum(send_reminder(lead, now) == Outcome.SENT for lead in unanswered_due(now))


def register() -> None:
    from app.reminders.service import register_reminder_sender

    register_reminder_sender("unanswered_inquiries", send_unanswered_reminders)
