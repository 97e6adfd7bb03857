"""The sites panel of the start page."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app import scope
from app.caching import ProcessCache
from app.core.service import all_municipalities
from app.extensions import db
from app.main.service import register_panel
from app.sites.models import Site, SiteStatus
from app.sites.service import incomplete_criterion, sites_revision
from app.viewer import Viewer

_COUNTS = ProcessCache(size=32)


def panel_context(user: Viewer) -> dict[str, Any] | None:
    """Available sites, those lacking key facts, and those of my municipality lacking them
    (= /sites?incomplete=1&municipality=<mine>, the list of what to complete). Counting
    means reading every site, so the counts are kept per process by the sites' revision
    and the user's scope class, like the site map: a change to any site shows at once."""
    own = Site.municipality_id == user.municipality_id

    def count() -> tuple[int, int, int]:
        available, incomplete, own_incomplete = db.session.execute(
            sa.select(sa.func.count().filter(Site.status == SiteStatus.AVAILABLE),
                      sa.func.count().filter(incomplete_criterion()),
                      sa.func.count().filter(incomplete_criterion(), own))
            .select_from(Site)
            .where(scope.visible_filter(user, Site), Site.status != SiteStatus.WITHDRAWN)).one()
        return available, incomplete, own_incomplete

    available, incomplete, own_incomplete = _COUNTS.get(
        (sites_revision(), user.role, user.municipality_id), count)
    municipality = next((m for m in all_municipalities() if m.id == user.municipality_id), None)
    return {"available": available, "incomplete": incomplete,
            "own_incomplete": own_incomplete,
            "municipality": municipality.slug if municipality else None,
            "municipality_name": municipality.name if municipality else None}


def register() -> None:
    register_panel("sites/_panel.html", panel_context, order=40)
