"""Land figures: the sites offered now (status available, as the user may see them), their
markareal in hectares and the buildings among them, per municipality by readiness,
detaljplan stage and industrispår; and the share of the offered sites (not withdrawn)
with complete key data (the rule of the site pages, app.sites.service)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.reports.tables import PERCENT, Column, Table, share
from app.scope import visible_filter
from app.sites import labels
from app.sites.models import Site, SiteKind, SiteStatus
from app.sites.service import incomplete_criterion
from app.viewer import Viewer


def _sites(user: Viewer, municipality_id: int | None) -> list[sa.ColumnElement[bool]]:
    found = [visible_filter(user, Site)]
    if municipality_id is not None:
        found.append(Site.municipality_id == municipality_id)
    return found


def _by(user: Viewer, municipality_id: int | None, column: Any, key: str, title: Any,
        heading: Any, names: dict[int, str], value_labels: dict[str, Any]) -> Table:
    building = Site.kind.in_((SiteKind.BUILDING, SiteKind.LAND_WITH_BUILDING))
    rows = db.session.execute(
        sa.select(Site.municipality_id, column,
                  sa.func.coalesce(sa.func.sum(Site.land_area_m2), 0),
                  sa.func.count().filter(building))
        .where(*_sites(user, municipality_id), Site.status == SiteStatus.AVAILABLE)
        .group_by(Site.municipality_id, column))
    found = {(m, value): (land, buildings) for m, value, land, buildings in rows}
    order = list(value_labels) + [None]
    table = Table(key, title, (Column(_l("Municipality")), Column(heading),
                               Column(_l("Available land"), "ha"),
                               Column(_l("Available buildings"), "")),
                  chart_column=2)
    for ident, name in names.items():
        for value in order:
            if (ident, value) in found:
                land, buildings = found[(ident, value)]
                shown = value_labels[value] if value is not None else _l("Not stated")
                table.rows.append((name, shown, land / 10_000, buildings))
    return table


def by_readiness(user: Viewer, municipality_id: int | None, names: dict[int, str]) -> Table:
    return _by(user, municipality_id, Site.readiness, "land_readiness",
               _l("Available land and buildings by readiness"), _l("Readiness"), names,
               labels.readiness_labels())


def by_detaljplan(user: Viewer, municipality_id: int | None, names: dict[int, str]) -> Table:
    return _by(user, municipality_id, Site.detaljplan_status, "land_detaljplan",
               _l("Available land and buildings by detaljplan stage"), _l("Detaljplan"),
               names, labels.detaljplan_labels())


def by_rail(user: Viewer, municipality_id: int | None, names: dict[int, str]) -> Table:
    return _by(user, municipality_id, Site.rail_siding, "land_rail",
               _l("Available land and buildings by industrispår"), _l("Industrispår"), names,
               labels.rail_labels())


def completeness(user: Viewer, municipality_id: int | None, names: dict[int, str]) -> Table:
    rows = db.session.execute(
        sa.select(Site.municipality_id, sa.func.count(),
                  sa.func.count().filter(sa.not_(incomplete_criterion())))
        .where(*_sites(user, municipality_id), Site.status != SiteStatus.WITHDRAWN)
        .group_by(Site.municipality_id))
    found = {m: (total, complete) for m, total, complete in rows}
    table = Table("completeness", _l("Sites with complete key data"),
                  (Column(_l("Municipality")), Column(_l("Sites offered"), ""),
                   Column(_l("With complete key data"), ""), Column(_l("Share complete"), PERCENT)),
                  chart_column=3,
                  note=_l("Key data: price, power, detaljplan, industrispår and the areas "
                          "of the site's kind."))
    for ident, name in names.items():
        if ident in found:
            total, complete = found[ident]
            table.rows.append((name, total, complete, share(complete, total)))
    return table
