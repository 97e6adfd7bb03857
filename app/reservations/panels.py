"""The start page's reservations panel: the reservations ending within ENDING_DAYS that
concern my municipality (its sites, or its leads), soonest first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app import scope
from app.clock import local_today
from app.extensions import db
from app.leads.models import Lead
from app.main.service import register_panel
from app.reservations.models import ACTIVE_STATUSES, Reservation
from app.sites.models import Site
from app.viewer import Viewer

ENDING_DAYS = 60  # the first of the reminders before the end (app/reservations/expiry.py)
SHOWN = 8
# The reservation's lead, an alias: the scope rule's own subquery reads Lead. Made once
# (making it adapts every column of Lead: 1.5 ms a request).
RESERVED_LEAD = aliased(Lead, name="reserved_lead")


def panel_context(user: Viewer) -> dict[str, Any] | None:
    if user.municipality_id is None:
        return None
    today = local_today()
    lead = RESERVED_LEAD
    ending = (sa.select(Reservation.id, Reservation.valid_until, Reservation.lead_id,
                        Site.id.label("site_id"), Site.name.label("site_name"),
                        lead.codename)
              .join(Site, Site.id == Reservation.site_id)
              .join(lead, lead.id == Reservation.lead_id)
              .where(scope.visible_filter(user, Reservation),
                     Reservation.status.in_(ACTIVE_STATUSES),
                     Reservation.valid_until <= today + timedelta(days=ENDING_DAYS),
                     sa.or_(Reservation.municipality_id == user.municipality_id,
                            lead.municipality_id == user.municipality_id))
              .order_by(Reservation.valid_until, Reservation.id))
    rows = db.session.execute(ending.limit(SHOWN)).all()
    if not rows:
        return None
    total = db.session.scalar(sa.select(sa.func.count()).select_from(ending.subquery()))
    return {"rows": [(row, (row.valid_until - today).days) for row in rows], "total": total,
            "days": ENDING_DAYS}


def register() -> None:
    register_panel("reservations/_panel.html", panel_context, order=30)
