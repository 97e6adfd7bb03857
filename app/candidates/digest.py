"""The weekly digest's section on missing site data that blocks a verdict: for the
advisors of a municipality, its offered sites lacking a fact that an open inquiry they can
see requires as a must (matching cannot say whether such a site fits: "unknown").

Per municipality of the recipients, one query reads which musts its visible open leads
state (through the lead scope: nothing of other leads) and one lists the sites lacking
those facts; the lines are the same for every advisor of the municipality.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.sql.elements import ColumnElement

from app import scope
from app.auth.models import Role
from app.candidates.forms import CRITERION_LABELS
from app.digest.sections import DigestContext, DigestItem, register_section
from app.extensions import db
from app.leads.models import OPEN_STAGES, Lead
from app.mail.service import absolute_url_for
from app.sites.models import Site, SiteStatus

OFFERED = (SiteStatus.AVAILABLE, SiteStatus.RESERVED)

# criterion -> (the lead states it as a must, the site fact whose absence leaves it unknown)
MUST_FACTS: dict[str, tuple[ColumnElement[bool], Any]] = {
    "land_area": (sa.and_(Lead.land_must, sa.or_(Lead.land_min_m2.is_not(None),
                                                 Lead.land_max_m2.is_not(None))),
                  Site.land_area_m2),
    "contiguous_area": (sa.and_(Lead.contiguous_must, Lead.contiguous_m2.is_not(None)),
                        Site.contiguous_area_m2),
    "building_area": (sa.and_(Lead.building_must, Lead.building_m2.is_not(None)),
                      Site.building_area_m2),
    "rail_siding": (sa.and_(Lead.rail_must, Lead.rail_siding.is_(True)), Site.rail_siding),
    "motorway_km": (sa.and_(Lead.motorway_must, Lead.motorway_km_max.is_not(None)),
                    Site.dist_motorway_km),
    "terminal_km": (sa.and_(Lead.terminal_must, Lead.terminal_km_max.is_not(None)),
                    Site.dist_terminal_km),
    "airport_km": (sa.and_(Lead.airport_must, Lead.airport_km_max.is_not(None)),
                   Site.dist_airport_km),
    "power": (sa.and_(Lead.power_must, Lead.power_mw.is_not(None)), Site.power_mw),
    "water_sewage": (sa.and_(Lead.water_must, Lead.water_sewage.is_(True)), Site.water_sewage),
    "detaljplan": (sa.and_(Lead.start_must, Lead.desired_start.is_not(None)),
                   Site.detaljplan_status),
    "price": (sa.and_(Lead.price_must, Lead.price_max_sek_m2.is_not(None)), Site.price_sek_m2),
}


def required_facts(reader: Any) -> list[str]:
    """The criteria some open lead the reader may see states as a must."""
    row = db.session.execute(
        sa.select(*(sa.func.max(sa.case((stated, 1), else_=0)).label(key)
                    for key, (stated, _fact) in MUST_FACTS.items()))
        .where(scope.visible_filter(reader, Lead), Lead.stage.in_(OPEN_STAGES))).one()
    return [key for key in MUST_FACTS if getattr(row, key)]


def _blocking_sites(municipality_id: int, reader: Any, limit: int) -> list[DigestItem]:
    needed = required_facts(reader)
    if not needed:
        return []
    missing = [MUST_FACTS[key][1].is_(None) for key in needed]
    rows = db.session.execute(
        sa.select(Site.id, Site.name, *(MUST_FACTS[key][1].is_(None).label(key)
                                        for key in needed),
                  sa.func.count().over().label("total"))
        .where(Site.municipality_id == municipality_id, Site.status.in_(OFFERED),
               scope.visible_filter(reader, Site), sa.or_(*missing))
        .order_by(Site.name, Site.id).limit(limit)).all()
    items = [DigestItem(row.name, url=absolute_url_for("sites.edit", site_id=row.id),
                        detail=_("missing: %(facts)s", facts=", ".join(
                            str(CRITERION_LABELS[key]) for key in needed if getattr(row, key))))
             for row in rows]
    # The rest: the municipality's site list (its "incomplete" filter reads other facts,
    # e.g. not the contiguous area or VA, so it could hide some of them).
    if rows and rows[0].total > len(rows):
        items.append(DigestItem(_("… and %(count)d more", count=rows[0].total - len(rows)),
                                url=absolute_url_for("sites.index",
                                                     municipality=reader.municipality.slug)))
    return items


def collect_blocking_sites(users: Sequence[Any], context: DigestContext) -> dict[int, list]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for user in users:
        if user.role == Role.ADVISOR:
            groups[user.municipality_id].append(user)
    limit = current_app.config["DIGEST_SECTION_LIMIT"]
    found: dict[int, list[DigestItem]] = {}
    for municipality_id, members in groups.items():
        items = _blocking_sites(municipality_id, members[0], limit)
        for user in members:
            if items:
                found[user.id] = items
    return found


def register() -> None:
    register_section("blocking_site_data",
                     _l("Missing site data that blocks a verdict on an inquiry"),
                     collect_blocking_sites, order=45)
