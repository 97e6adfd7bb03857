"""The sites panel of the start page."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app import scope
from app.extensions import db
from app.main.service import register_panel
from app.sites.models import Site, SiteStatus
from app.sites.service import incomplete_criterion


def panel_context(user: Any) -> dict[str, Any] | None:
    visible = scope.visible_filter(user, Site)
    available = db.session.scalar(sa.select(sa.func.count()).select_from(Site).where(
        visible, Site.status == SiteStatus.AVAILABLE))
    incomplete = db.session.scalar(sa.select(sa.func.count()).select_from(Site).where(
        visible, Site.status != SiteStatus.WITHDRAWN, incomplete_criterion()))
    return {"available": available, "incomplete": incomplete}


def register() -> None:
    register_panel("sites/_panel.html", panel_context, order=40)
