"""Land figures: the sites offered now (status available, as the user may see them), their
markareal in hectares and the buildings among them, per municipality by readiness,
detaljplan stage and industrispår; and the share of the offered sites (not withdrawn)
with complete key data (the rule of the site pages, app.sites.service)."""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.reports.tables import PERCENT, Column, Table, share
from app.scope import visible_filter
from app.sites import labels
from app.sites.models import DetaljplanStatus, RailSiding, Readiness, Site, SiteKind, SiteStatus
from app.sites.service import incomplete_criterion
from app.viewer import Viewer


class SiteGroup(NamedTuple):
    """The sites offered (not withdrawn) of one municipality with the same readiness,
    detaljplan stage and industrispår: how many are available, their markareal and the
    buildings among them; of all, how many and how many with complete key data."""

    municipality_id: int
    readiness: Readiness | None
    detaljplan_status: DetaljplanStatus | None
    rail_siding: RailSiding | None
    available: int
    available_land_m2: int
    available_buildings: int
    offered: int
    complete: int


def site_groups(user: Viewer, municipality_id: int | None) -> list[SiteGroup]:
    """Every land figure's groups of the sites `user` may see, in one grouped statement."""
    available = Site.status == SiteStatus.AVAILABLE
    building = Site.kind.in_((SiteKind.BUILDING, SiteKind.LAND_WITH_BUILDING))
    columns = (Site.municipality_id, Site.readiness, Site.detaljplan_status, Site.rail_siding)
    criteria = [visible_filter(user, Site), Site.status != SiteStatus.WITHDRAWN]
    if municipality_id is not None:
        criteria.append(Site.municipality_id == municipality_id)
    return [SiteGroup._make(row) for row in db.session.execute(
        sa.select(*columns, sa.func.count().filter(available),
                  sa.func.coalesce(sa.func.sum(Site.land_area_m2).filter(available), 0),
                  sa.func.count().filter(available, building),
                  sa.func.count(), sa.func.count().filter(sa.not_(incomplete_criterion())))
        .where(*criteria).group_by(*columns))]


def _by(groups: list[SiteGroup], field: str, key: str, title: Any, heading: Any,
        names: dict[int, str], value_labels: dict[str, Any]) -> Table:
    """Available land (ha) and buildings per municipality and value of `field`, for the
    values with available sites."""
    found: dict[tuple[int, str | None], tuple[int, int, int]] = {}
    for group in groups:
        where = (group.municipality_id, getattr(group, field))
        sites, land, buildings = found.get(where, (0, 0, 0))
        found[where] = (sites + group.available, land + group.available_land_m2,
                        buildings + group.available_buildings)
    table = Table(key, title, (Column(_l("Municipality")), Column(heading),
                               Column(_l("Available land"), "ha"),
                               Column(_l("Available buildings"), "")),
                  chart_column=2)
    for ident, name in names.items():
        for value in [*value_labels, None]:
            sites, land, buildings = found.get((ident, value), (0, 0, 0))
            if sites:
                shown = value_labels[value] if value is not None else _l("Not stated")
                table.rows.append((name, shown, land / 10_000, buildings))
    return table


def by_readiness(groups: list[SiteGroup], names: dict[int, str]) -> Table:
    return _by(groups, "readiness", "land_readiness",
               _l("Available land and buildings by readiness"), _l("Readiness"), names,
               labels.readiness_labels())


def by_detaljplan(groups: list[SiteGroup], names: dict[int, str]) -> Table:
    return _by(groups, "detaljplan_status", "land_detaljplan",
               _l("Available land and buildings by detaljplan stage"), _l("Detaljplan"),
               names, labels.detaljplan_labels())


def by_rail(groups: list[SiteGroup], names: dict[int, str]) -> Table:
    return _by(groups, "rail_siding", "land_rail",
               _l("Available land and buildings by industrispår"), _l("Industrispår"), names,
               labels.rail_labels())


def completeness(groups: list[SiteGroup], names: dict[int, str]) -> Table:
    found: dict[int, tuple[int, int]] = {}
    for group in groups:
        total, complete = found.get(group.municipality_id, (0, 0))
        found[group.municipality_id] = (total + group.offered, complete + group.complete)
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
