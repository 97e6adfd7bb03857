"""The start-page panel: my overdue follow-ups and new inquiries."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app import scope
from app.extensions import db
from app.leads.followups import overdue_count
from app.leads.models import Lead, Stage
from app.main.service import register_panel
from app.viewer import Viewer


def _panel(user: Viewer) -> dict[str, Any]:
    new_inquiries = db.session.scalar(
        sa.select(sa.func.count()).select_from(Lead).where(
            Lead.municipality_id == user.municipality_id, Lead.stage == Stage.NEW,
            scope.visible_filter(user, Lead))) or 0
    return {"overdue": overdue_count(user), "new_inquiries": new_inquiries}


def register() -> None:
    register_panel("leads/_panel.html", _panel, order=10)
