"""The lead sections of the weekly digest (see app.digest.sections).

Each section collects for all recipients of one language with one query per
*audience*: users who see the same leads (`app.leads.access.audience_key`: the
municipality, admin, advisor), so one representative user of each audience stands
for the others — at most twelve audiences, whatever the number of users and
leads. Each query returns at most DIGEST_SECTION_LIMIT rows per user (a window
function), plus the total for "… and N more".

What a line may show follows the product: the codename always, the company
only where `app.leads.access.shows_company_in_mail` allows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import scope
from app.auth.models import Role
from app.clock import local_zone
from app.core.models import Municipality
from app.digest.sections import DigestContext, DigestItem, register_section
from app.extensions import db
from app.i18n import local_date
from app.leads.access import audience_key, share_levels, shows_company_in_mail
from app.leads.models import OPEN_STAGES, Activity, Company, FollowUp, Lead, LeadShare, ShareLevel
from app.mail.service import absolute_url_for


class LeadRef(NamedTuple):
    """What a digest line needs of a lead (duck-types a Lead for `share_levels`)."""

    id: int
    codename: str
    confidential: bool
    municipality_id: int
    company: str | None


def audiences(users: Iterable[Any]) -> dict[tuple, list[Any]]:
    """Users grouped by what they see of leads (`audience_key`)."""
    groups: dict[tuple, list[Any]] = defaultdict(list)
    for user in users:
        groups[audience_key(user)].append(user)
    return groups


def lead_label(lead: LeadRef, level: str | None) -> str:
    """Codename, with the company where the recipient sees it and the lead is not confidential."""
    if lead.company and shows_company_in_mail(lead, level):
        return f"{lead.codename} · {lead.company}"
    return lead.codename


def lead_url(lead_id: int) -> str:
    return absolute_url_for("leads.show", lead_id=lead_id)


def _lead_columns() -> list:
    return [Lead.id.label("lead_id"), Lead.codename, Lead.confidential, Lead.municipality_id,
            Company.name.label("company")]


def _ref(row: Any) -> LeadRef:
    return LeadRef(row.lead_id, row.codename, row.confidential, row.municipality_id, row.company)


def first_per_user(base: sa.Subquery, where: Sequence[Any], order: Sequence[Any]) -> sa.Select:
    """The first DIGEST_SECTION_LIMIT rows of `base` per `user_id` in `order`, each with
    the user's `total` (rank and total are computed after `where`)."""
    ranked = sa.select(
        base,
        sa.func.row_number().over(partition_by=base.c.user_id, order_by=order).label("rank"),
        sa.func.count().over(partition_by=base.c.user_id).label("total"),
    ).where(*where).subquery()
    return (sa.select(ranked).where(ranked.c.rank <= current_app.config["DIGEST_SECTION_LIMIT"])
            .order_by(ranked.c.user_id, ranked.c.rank))


def _items_by_user(rows: Sequence[Any], representative: Any, line, more_url) -> dict[int, list]:
    """DigestItems per user from ranked rows: `line(row, level)` each, then "… and N more"."""
    refs = {row.lead_id: _ref(row) for row in rows}
    levels = share_levels(representative, list(refs.values())) if refs else {}
    found: dict[int, list[DigestItem]] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in rows:
        item = line(row, lead_label(refs[row.lead_id], levels.get(row.lead_id)))
        found[row.user_id].append(replace(item, lead_id=row.lead_id))
        totals[row.user_id] = row.total
    for user_id, items in found.items():
        if totals[user_id] > len(items):
            found[user_id].append(DigestItem(_("… and %(count)d more", count=totals[user_id] - len(items)),
                                             url=more_url(user_id)))
    return found


# --- follow-ups -----------------------------------------------------------------------


def _follow_up_items(users: Sequence[Any], context: DigestContext, *criteria: Any) -> dict[int, list]:
    found: dict[int, list[DigestItem]] = {}
    for group in audiences(users).values():
        representative = group[0]
        base = (
            sa.select(FollowUp.id, FollowUp.title, FollowUp.due_on,
                      FollowUp.assignee_id.label("user_id"), *_lead_columns())
            .join(Lead, Lead.id == FollowUp.lead_id)
            .outerjoin(Company, Company.id == Lead.company_id)
            .where(FollowUp.assignee_id.in_([user.id for user in group]),
                   FollowUp.done_at.is_(None), *criteria, scope.visible_filter(representative, Lead))
        ).subquery()
        rows = db_rows(first_per_user(base, [], [base.c.due_on, base.c.id]))
        found |= _items_by_user(
            rows, representative,
            lambda row, label: DigestItem(
                f"{row.title} · {label}", url=lead_url(row.lead_id),
                detail=_("due %(date)s", date=local_date(row.due_on))),
            lambda _user_id: absolute_url_for("leads.followups"))
    return found


def local_today(context: DigestContext):
    return context.now.astimezone(local_zone()).date()


def collect_overdue_follow_ups(users: Sequence[Any], context: DigestContext) -> dict[int, list]:
    """Open follow-ups assigned to the user, due before today (oldest first)."""
    return _follow_up_items(users, context, FollowUp.due_on < local_today(context))


def collect_follow_ups_this_week(users: Sequence[Any], context: DigestContext) -> dict[int, list]:
    """Open follow-ups assigned to the user, due from today to the end of the digest's week."""
    return _follow_up_items(users, context, FollowUp.due_on >= local_today(context),
                            FollowUp.due_on <= context.week.day(7))


# --- leads without activity -------------------------------------------------------------


def collect_stale_leads(users: Sequence[Any], context: DigestContext) -> dict[int, list]:
    """Open leads the user owns with no activity since `stale_before` (longest silent first)."""
    found: dict[int, list[DigestItem]] = {}
    last_activity = (sa.select(sa.func.max(Activity.at)).where(Activity.lead_id == Lead.id)
                     .correlate(Lead).scalar_subquery())
    for group in audiences(users).values():
        representative = group[0]
        base = (
            sa.select(Lead.owner_id.label("user_id"), *_lead_columns(),
                      sa.func.coalesce(last_activity, Lead.created_at).label("last_at"))
            .outerjoin(Company, Company.id == Lead.company_id)
            .where(Lead.owner_id.in_([user.id for user in group]), Lead.stage.in_(OPEN_STAGES),
                   Lead.created_at < context.stale_before, scope.visible_filter(representative, Lead))
        ).subquery()
        rows = db_rows(first_per_user(base, [base.c.last_at < context.stale_before],
                                      [base.c.last_at, base.c.lead_id]))
        found |= _items_by_user(
            rows, representative,
            lambda row, label: DigestItem(
                label, url=lead_url(row.lead_id),
                detail=_("last activity %(date)s",
                         date=local_date(row.last_at.astimezone(local_zone()).date()))),
            lambda user_id: absolute_url_for("leads.index", owner=user_id))
    return found


# --- shares awaiting a response ----------------------------------------------------------


def collect_new_shares(users: Sequence[Any], context: DigestContext) -> dict[int, list]:
    """Open leads shared with the user's municipality in the last DIGEST_NEW_SHARE_DAYS and
    not yet answered; for its advisors and viewers (the same lines for all of them)."""
    since = context.now - timedelta(days=current_app.config["DIGEST_NEW_SHARE_DAYS"])
    found: dict[int, list[DigestItem]] = {}
    owner = sa.orm.aliased(Municipality)
    for group in audiences(users).values():
        members = [user for user in group if user.role in (Role.ADVISOR, Role.VIEWER)]
        if not members:
            continue
        representative = members[0]
        municipality_id = representative.municipality_id
        base = (
            sa.select(LeadShare.municipality_id.label("user_id"), LeadShare.level,
                      LeadShare.created_at.label("shared_at"), owner.name.label("owner_name"),
                      *_lead_columns())
            .join(Lead, Lead.id == LeadShare.lead_id)
            .join(owner, owner.id == Lead.municipality_id)
            .outerjoin(Company, Company.id == Lead.company_id)
            .where(LeadShare.municipality_id == municipality_id, LeadShare.response.is_(None),
                   LeadShare.created_at >= since, Lead.stage.in_(OPEN_STAGES),
                   scope.visible_filter(representative, Lead))
        ).subquery()
        rows = db_rows(first_per_user(base, [], [base.c.shared_at.desc(), base.c.lead_id]))
        by_municipality = _items_by_user(
            rows, representative,
            lambda row, label: DigestItem(
                label, url=lead_url(row.lead_id),
                detail=_("shared by %(municipality)s on %(date)s, %(level)s",
                         municipality=row.owner_name,
                         date=local_date(row.shared_at.astimezone(local_zone()).date()),
                         level=_("in full") if row.level == ShareLevel.FULL else _("anonymised"))),
            lambda _id: absolute_url_for("leads.index"))
        for user in members:
            if by_municipality.get(municipality_id):
                found[user.id] = by_municipality[municipality_id]
    return found


def db_rows(statement: sa.Select) -> list[Any]:
    return list(db.session.execute(statement))


def register() -> None:
    register_section("overdue_follow_ups", _l("Overdue follow-ups"), collect_overdue_follow_ups,
                     order=10)
    register_section("follow_ups_this_week", _l("Follow-ups due this week"),
                     collect_follow_ups_this_week, order=20)
    register_section("stale_leads", _l("Your leads without recent activity"), collect_stale_leads, order=30)
    register_section("new_shares", _l("Leads shared with your municipality awaiting a response"),
                     collect_new_shares, order=40)
