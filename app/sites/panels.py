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
    available, incomplete = db.session.execute(
        sa.select(sa.func.count().filter(Site.status == SiteStatus.AVAILABLE),
                  sa.func.count().filter(incomplete_criterion()))
        .select_from(Site)
        .where(scope.visible_filter(user, Site), Site.status != SiteStatus.WITHDRAWN)).one()
    return {"available": available, "incomplete": incomplete}


def register() -> None:
    register_panel("sites/_panel.html", panel_context, order=40)
