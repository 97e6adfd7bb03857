"""The advisor's desk on the start page: the follow-ups due today or overdue (with their
Done buttons), my open leads per skede, and the latest entries in my municipality's
leads. Each figure counts the list it links to, with that list's query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app import scope
from app.auth.models import User
from app.extensions import db
from app.leads.followups import due_by_today, due_counts
from app.leads.models import OPEN_STAGES, Activity, ActivityKind, Lead, Stage
from app.viewer import Viewer

SHOWN = 8  # entries of each list on the desk


def due_followups(user: Viewer) -> dict[str, Any]:
    """My overdue follow-ups and today's (the first SHOWN of each, as /followups lists
    them, with how many there are)."""
    groups = due_by_today(user, SHOWN)
    overdue, due_today = due_counts(user)
    return {"overdue": groups["overdue"], "overdue_count": overdue,
            "today": groups["today"], "today_count": due_today}


def my_open_leads(user: Viewer) -> list[tuple[Stage, int]]:
    """How many open leads I own in each open skede (= /leads?stage=…&owner=<me>)."""
    counts = dict(db.session.execute(
        sa.select(Lead.stage, sa.func.count()).where(
            Lead.owner_id == user.id, Lead.stage.in_(OPEN_STAGES),
            scope.visible_filter(user, Lead)).group_by(Lead.stage)).all())
    return [(stage, counts.get(stage, 0)) for stage in OPEN_STAGES]


@dataclass(frozen=True)
class RecentEntry:
    lead_id: int
    codename: str
    kind: ActivityKind
    at: datetime
    author: str | None
    body: str  # the first line, shortened


def latest_entries(user: Viewer, limit: int = SHOWN) -> list[RecentEntry]:
    """The newest timeline entries of my municipality's leads (which its users see in
    full: they are the owners), newest first; the product's own entries about shares
    are left to the lead page."""
    rows = db.session.execute(
        sa.select(Activity.lead_id, Lead.codename, Activity.kind, Activity.at,
                  User.name, Activity.body)
        .join(Lead, Lead.id == Activity.lead_id)
        .outerjoin(User, User.id == Activity.author_id)
        .where(Lead.municipality_id == user.municipality_id,
               Activity.kind.not_in([ActivityKind.SHARE_CHANGE, ActivityKind.PARTNER_ANSWER]),
               scope.visible_filter(user, Lead))
        .order_by(Activity.at.desc(), Activity.id.desc()).limit(limit)).all()
    return [RecentEntry(row.lead_id, row.codename, row.kind, row.at, row.name,
                        _first_line(row.body)) for row in rows]


def _first_line(text: str | None, length: int = 120) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


