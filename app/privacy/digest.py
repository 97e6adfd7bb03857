"""The gallring section of the weekly digest: for advisors, their municipality's closed
leads whose personal data is due for anonymisation (codename only; the owners see every
one of their leads, confidential ones included, by codename)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.core.models import Municipality
from app.digest.sections import DigestContext, DigestItem, register_section
from app.extensions import db
from app.i18n import local_date
from app.mail.service import absolute_url_for
from app.privacy import retention


def collect_due_for_anonymisation(users: Sequence[Any],
                                  context: DigestContext) -> dict[int, list[DigestItem]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for user in users:
        if user.role == Role.ADVISOR:
            groups[user.municipality_id].append(user)
    if not groups:
        return {}
    limit = current_app.config["DIGEST_SECTION_LIMIT"]
    found: dict[int, list[DigestItem]] = {}
    for municipality in db.session.scalars(sa.select(Municipality).where(
            Municipality.id.in_(list(groups))).options(
                sa.orm.undefer(Municipality.retention_lost_years),
                sa.orm.undefer(Municipality.retention_won_years))):
        due = retention.due_leads(municipality, limit=limit)
        if not due:
            continue
        page = absolute_url_for("privacy.retention_page", municipality=municipality.slug)
        items = [DigestItem(lead.codename, url=page, lead_id=lead.id, detail=_(
            "closed %(closed)s, due since %(due)s", closed=local_date(lead.closed_on),
            due=local_date(lead.due_on))) for lead in due]
        total = retention.count_due(municipality) if len(due) == limit else len(due)
        if total > len(items):
            items.append(DigestItem(_("… and %(count)d more", count=total - len(items)),
                                    url=page))
        found[municipality.id] = items
    return {user.id: found[municipality_id] for municipality_id, members in groups.items()
            if municipality_id in found for user in members}


def register() -> None:
    register_section("retention_due", _l("Personal data due for gallring"),
                     collect_due_for_anonymisation, order=60)
