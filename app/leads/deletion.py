"""Deleting a lead created by mistake: by an advisor of the owning municipality, within 24
hours of its creation, while nothing hangs on it (no activity, follow-up, share,
candidate or e-mail about it). Audited with everything it held. Any other lead is closed
(stage "Avslutad utan etablering"), never deleted."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.clock import utcnow
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads.access import can_edit
from app.leads.commands import snapshot
from app.leads.errors import PermissionDenied
from app.leads.models import Activity, FollowUp, Lead, LeadShare
from app.mail.models import MailMessageLead
from app.viewer import Viewer

WINDOW = timedelta(hours=24)
# Candidates belong to app.candidates, which builds on the leads: named, not imported.
_CANDIDATES = sa.table("candidate_sites", sa.column("lead_id"))


def within_window(lead: Lead, now: datetime | None = None) -> bool:
    return (now or utcnow()) - lead.created_at < WINDOW


def has_dependants(lead: Lead) -> bool:
    """Whether anything was done on or with the lead (one statement)."""
    exists = [sa.exists().where(table.c.lead_id == lead.id) for table in (
        Activity.__table__, FollowUp.__table__, LeadShare.__table__, _CANDIDATES,
        MailMessageLead.__table__)]
    return bool(db.session.scalar(sa.select(sa.or_(*exists))))


def can_delete(user: Viewer, lead: Lead, now: datetime | None = None) -> bool:
    """Whether the page offers "Delete" (no query for a lead older than the window)."""
    return can_edit(user, lead) and within_window(lead, now) and not has_dependants(lead)


def delete_lead(user: Viewer, lead: Lead, now: datetime | None = None) -> None:
    if not can_edit(user, lead):
        raise PermissionDenied()
    if not within_window(lead, now):
        raise FieldErrors({"lead": [str(_l(
            "A lead can be deleted only within 24 hours of its creation; close it instead "
            "(Avslutad utan etablering)."))]})
    if has_dependants(lead):
        raise FieldErrors({"lead": [str(_l(
            "The lead has activities, follow-ups, shares or candidates: close it instead "
            "(Avslutad utan etablering)."))]})
    audit.record(user, "lead.deleted", "lead", lead.id, before=snapshot(lead),
                 municipality_id=lead.municipality_id)
    db.session.delete(lead)
    db.session.commit()
