"""The start-page panels: my overdue follow-ups and new inquiries; what partners shared
with us and await our answer to, and the partners' answers on our leads (each figure is
the count of the lead list it links to: the same query)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app import scope
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db
from app.leads.followups import overdue_count
from app.leads.labels import RESPONSE_LABELS
from app.leads.models import Lead, LeadShare, Stage
from app.leads.queries import LeadFilters, lead_query
from app.main.service import register_panel
from app.viewer import Viewer


def _panel(user: Viewer) -> dict[str, Any]:
    new_inquiries = db.session.scalar(
        sa.select(sa.func.count()).select_from(Lead).where(
            Lead.municipality_id == user.municipality_id, Lead.stage == Stage.NEW,
            scope.visible_filter(user, Lead))) or 0  # = /leads?stage=new&scope=owned
    return {"overdue": overdue_count(user), "new_inquiries": new_inquiries}


SHOWN = 5


def _count(user: Viewer, which: str) -> int:
    listed = lead_query(user, LeadFilters(scope=which)).order_by(None).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(listed)) or 0


def _shared_panel(user: Viewer) -> dict[str, Any] | None:
    """Shared with us and awaiting our answer (with the days waiting), and partners'
    answers on our leads (newest first); None for users without a municipality's work."""
    if not user.is_advisor:
        return None
    awaiting = lead_query(user, LeadFilters(scope="awaiting")).order_by(None).subquery()
    waiting = db.session.execute(
        sa.select(Lead.id, Lead.codename, LeadShare.created_at)
        .join(awaiting, awaiting.c.id == Lead.id)
        .join(LeadShare, sa.and_(LeadShare.lead_id == Lead.id,
                                 LeadShare.municipality_id == user.municipality_id))
        .order_by(LeadShare.created_at, Lead.id).limit(SHOWN)).all()
    now = utcnow()
    answered = lead_query(user, LeadFilters(scope="answered")).order_by(None).subquery()
    answers = db.session.execute(
        sa.select(Lead.id, Lead.codename, LeadShare.response, LeadShare.responded_at,
                  Municipality.name)
        .join(answered, answered.c.id == Lead.id)
        .join(LeadShare, sa.and_(LeadShare.lead_id == Lead.id, LeadShare.response.is_not(None)))
        .join(Municipality, Municipality.id == LeadShare.municipality_id)
        .order_by(LeadShare.responded_at.desc(), Lead.id).limit(SHOWN)).all()
    return {"awaiting": _count(user, "awaiting"), "answered": _count(user, "answered"),
            "waiting": [(row.id, row.codename, (now - row.created_at).days) for row in waiting],
            "answers": [(row.id, row.codename, str(RESPONSE_LABELS[row.response]),
                         row.responded_at, row.name) for row in answers]}


def register() -> None:
    register_panel("leads/_panel.html", _panel, order=10)
    register_panel("leads/_shared_panel.html", _shared_panel, order=11)
