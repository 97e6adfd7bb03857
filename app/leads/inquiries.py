"""What a lead keeps of its inquiry (app/intake makes web and API inquiries): the marker
"new web inquiry" until a user of its municipality opens it, and the time to first
answer — the first activity on it by an advisor of its municipality (a note, call,
meeting, e-mail or stage change). Both are kept without a version bump, so an edit form
open elsewhere stays valid."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.clock import utcnow
from app.extensions import db
from app.leads.models import Lead
from app.viewer import Viewer
from app.workdays import ANSWER_WORKING_DAYS, working_days_later


def record_first_answer(user: Viewer | None, lead: Lead, at: datetime | None = None) -> None:
    """Note `at` (now) as the lead's first answer if it has none and `user` is an advisor
    of the lead's municipality. Not committed: part of the caller's change."""
    if (user is None or not user.is_advisor or user.municipality_id != lead.municipality_id
            or lead.first_answered_at is not None):
        return
    moment = at or utcnow()
    db.session.execute(sa.update(Lead).where(Lead.id == lead.id,
                                             Lead.first_answered_at.is_(None))
                       .values(first_answered_at=moment)
                       .execution_options(synchronize_session=False))
    db.session.expire(lead, ["first_answered_at"])


def mark_opened(user: Viewer, lead: Lead) -> None:
    """A user of the lead's municipality opened it: it is no longer a new web inquiry.
    Committed."""
    if not lead.web_inquiry_new or user.municipality_id != lead.municipality_id:
        return
    db.session.execute(sa.update(Lead).where(Lead.id == lead.id)
                       .values(web_inquiry_new=False)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def answer_deadline(lead: Lead) -> datetime | None:
    """When an inquiry must have had its first answer (ANSWER_WORKING_DAYS Swedish working
    days after it arrived); None for a lead that is no web or API inquiry."""
    if lead.inquiry_reference is None:
        return None
    return working_days_later(lead.created_at, ANSWER_WORKING_DAYS)
