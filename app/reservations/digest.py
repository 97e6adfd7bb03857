"""The weekly digest's section for advisors of a site's municipality: its sites marked
reserved with no reservation recorded behind them (one query per municipality)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.digest.sections import DigestContext, DigestItem, register_section
from app.mail.service import absolute_url_for
from app.reservations.service import reserved_without_details


def collect_missing(users: Sequence[Any], context: DigestContext) -> dict[int, list]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for user in users:
        if user.role == Role.ADVISOR:
            groups[user.municipality_id].append(user)
    found: dict[int, list[DigestItem]] = {}
    for municipality_id, members in groups.items():
        items = [DigestItem(site.name, url=absolute_url_for("sites.show", site_id=site.id))
                 for site in reserved_without_details(municipality_id)]
        if items:
            found |= {user.id: items for user in members}
    return found


def register() -> None:
    register_section("reservation_details_missing",
                     _l("Your sites marked reserved without a recorded reservation"),
                     collect_missing, order=47)
