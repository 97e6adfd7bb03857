"""The start-page panels (the advisor's desk, app/leads/desk.py): my follow-ups due today
and overdue, my open leads per skede and my municipality's new inquiries, the latest
entries in my municipality's leads; what partners shared
with us and await our answer to, and the partners' answers on our leads (each figure is
the count of the lead list it links to: the same query)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app import scope
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db
from app.leads import desk
from app.leads.labels import ACTIVITY_LABELS, RESPONSE_LABELS, label, stage_label
from app.leads.models import Lead, LeadShare, Stage
from app.main.service import register_panel
from app.viewer import Viewer


def _followups_panel(user: Viewer) -> dict[str, Any] | None:
    """My follow-ups due today and overdue, with their Done buttons (advisors: only they
    are assigned follow-ups)."""
    return desk.due_followups(user) if user.is_advisor else None


def _leads_panel(user: Viewer) -> dict[str, Any]:
    """My open leads per skede, and the new inquiries of my municipality."""
    new_inquiries = db.session.scalar(
        sa.select(sa.func.count()).select_from(Lead).where(
            Lead.municipality_id == user.municipality_id, Lead.stage == Stage.NEW,
            scope.visible_filter(user, Lead))) or 0  # = /leads?stage=new&scope=owned
    mine = [(stage, stage_label(stage), count) for stage, count in desk.my_open_leads(user)]
    return {"new_inquiries": new_inquiries, "mine": mine,
            "mine_total": sum(count for _stage, _label, count in mine)}


def _latest_panel(user: Viewer) -> dict[str, Any] | None:
    """The latest timeline entries in my municipality's leads."""
    if user.municipality_id is None:
        return None
    return {"entries": [(entry, label(ACTIVITY_LABELS, entry.kind))
                        for entry in desk.latest_entries(user)]}


SHOWN = 5


def _shared_panel(user: Viewer) -> dict[str, Any] | None:
    """Shared with us and awaiting our answer (with the days waiting), and partners'
    answers on our leads (newest first); None for users without a municipality's work.

    Read from the shares (indexed by municipality) rather than through the lead list's
    query: every lead shared with the user's municipality is visible to its users, and so
    is every lead of its own, so the counts equal the lists' (queries.scope_criterion;
    tests/test_leads_shared_with_us.py checks it)."""
    if not user.is_advisor:
        return None
    with_us = sa.and_(LeadShare.municipality_id == user.municipality_id,
                      LeadShare.response.is_(None))
    awaiting = (sa.select(sa.func.count()).select_from(LeadShare).where(with_us)
                .scalar_subquery())
    oldest = (sa.select(LeadShare.lead_id, LeadShare.created_at, LeadShare.id).where(with_us)
              .order_by(LeadShare.created_at, LeadShare.id).limit(SHOWN).subquery())
    # Each list carries its count (a row with nothing to count cannot exist: no row, 0).
    waiting = db.session.execute(
        sa.select(Lead.id, Lead.codename, oldest.c.created_at, awaiting.label("count"))
        .join(oldest, oldest.c.lead_id == Lead.id)
        .order_by(oldest.c.created_at, oldest.c.id)).all()
    ours_answered = sa.and_(Lead.municipality_id == user.municipality_id,
                            LeadShare.response.is_not(None))
    answered = (sa.select(sa.func.count(sa.distinct(Lead.id))).select_from(Lead)
                .join(LeadShare, LeadShare.lead_id == Lead.id).where(ours_answered)
                .scalar_subquery())
    answers = db.session.execute(
        sa.select(Lead.id, Lead.codename, LeadShare.response, LeadShare.responded_at,
                  Municipality.name, answered.label("count"))
        .join(LeadShare, LeadShare.lead_id == Lead.id)
        .join(Municipality, Municipality.id == LeadShare.municipality_id)
        .where(ours_answered)
        .order_by(LeadShare.responded_at.desc(), Lead.id).limit(SHOWN)).all()
    now = utcnow()
    return {"awaiting": waiting[0].count if waiting else 0,
            "answered": answers[0].count if answers else 0,
            "waiting": [(row.id, row.codename, (now - row.created_at).days) for row in waiting],
            "answers": [(row.id, row.codename, str(RESPONSE_LABELS[row.response]),
                         row.responded_at, row.name) for row in answers]}


def register() -> None:
    register_panel("leads/_desk_followups.html", _followups_panel, order=5)
    register_panel("leads/_panel.html", _leads_panel, order=10)
    register_panel("leads/_desk_latest.html", _latest_panel, order=12)
    register_panel("leads/_shared_panel.html", _shared_panel, order=11)
