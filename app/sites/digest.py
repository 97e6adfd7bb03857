"""The sites section of the weekly digest: for advisors, their municipality's offered
sites (available or reserved) that lack key facts companies ask for — the same
rule as the site pages' completeness (`completeness`, `incomplete_criterion`).

One query for the ids (at most DIGEST_SECTION_LIMIT per municipality, with the
total) and one to load those sites, per audience of the recipients; the lines are
the same for every advisor of a municipality.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import scope
from app.auth.models import Role
from app.core.models import Municipality
from app.digest.sections import DigestContext, DigestItem, register_section
from app.extensions import db
from app.mail.service import absolute_url_for
from app.sites.models import Site, SiteStatus
from app.sites.service import completeness, incomplete_criterion

OFFERED = (SiteStatus.AVAILABLE, SiteStatus.RESERVED)


def _advisor_audiences(users: Sequence[Any]) -> dict[int, list[Any]]:
    """Advisors by municipality (the site scope rule depends on role and municipality)."""
    groups: dict[int, list[Any]] = defaultdict(list)
    for user in users:
        if user.role == Role.ADVISOR:
            groups[user.municipality_id].append(user)
    return groups


def collect_incomplete_sites(users: Sequence[Any], context: DigestContext) -> dict[int, list]:
    groups = _advisor_audiences(users)
    if not groups:
        return {}
    limit = current_app.config["DIGEST_SECTION_LIMIT"]
    # Advisors of every municipality see their own sites (withdrawn ones too), so one
    # representative per municipality states the scope; all municipalities in one query.
    visible = sa.or_(*[sa.and_(Site.municipality_id == municipality_id,
                               scope.visible_filter(members[0], Site))
                       for municipality_id, members in groups.items()])
    ranked = (
        sa.select(Site.id, Site.municipality_id,
                  sa.func.row_number().over(partition_by=Site.municipality_id,
                                            order_by=(Site.name, Site.id)).label("rank"),
                  sa.func.count().over(partition_by=Site.municipality_id).label("total"))
        .where(Site.municipality_id.in_(list(groups)), Site.status.in_(OFFERED),
               incomplete_criterion(), visible)
    ).subquery()
    rows = list(db.session.execute(sa.select(ranked).where(ranked.c.rank <= limit)))
    if not rows:
        return {}
    sites = {site.id: site for site in db.session.scalars(
        sa.select(Site).where(Site.id.in_([row.id for row in rows])))}
    slugs = dict(db.session.execute(sa.select(Municipality.id, Municipality.slug)).all())
    lines: dict[int, list[DigestItem]] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in sorted(rows, key=lambda row: (row.municipality_id, row.rank)):
        site = sites[row.id]
        lines[row.municipality_id].append(DigestItem(
            site.name, url=absolute_url_for("sites.show", site_id=site.id),
            detail=_("missing: %(facts)s", facts=", ".join(completeness(site).missing_labels))))
        totals[row.municipality_id] = row.total
    for municipality_id, items in lines.items():
        if totals[municipality_id] > len(items):
            items.append(DigestItem(
                _("… and %(count)d more", count=totals[municipality_id] - len(items)),
                url=absolute_url_for("sites.index", incomplete="1",
                                     municipality=slugs[municipality_id])))
    return {user.id: lines[municipality_id]
            for municipality_id, members in groups.items() if lines.get(municipality_id)
            for user in members}


def register() -> None:
    register_section("incomplete_sites", _l("Your municipality's sites with missing key data"),
                     collect_incomplete_sites, order=50)
