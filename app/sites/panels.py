"""The sites panel of the start page."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app import scope
from app.caching import ProcessCache
from app.extensions import db
from app.main.service import register_panel
from app.sites.models import Site, SiteStatus
from app.sites.service import incomplete_criterion, sites_revision
from app.viewer import Viewer

_COUNTS = ProcessCache(size=32)


def panel_context(user: Viewer) -> dict[str, Any] | None:
    """Available sites and those lacking key facts. Counting means reading every site, so
    the counts are kept per process by the sites' revision and the user's scope class,
    like the site map: a change to any site shows at once."""
    def count() -> tuple[int, int]:
        return db.session.execute(
            sa.select(sa.func.count().filter(Site.status == SiteStatus.AVAILABLE),
                      sa.func.count().filter(incomplete_criterion()))
            .select_from(Site)
            .where(scope.visible_filter(user, Site), Site.status != SiteStatus.WITHDRAWN)).one()._tuple()

    available, incomplete = _COUNTS.get((sites_revision(), user.role, user.municipality_id),
                                        count)
    return {"available": available, "incomplete": incomplete}


def register() -> None:
    register_panel("sites/_panel.html", panel_context, order=40)
