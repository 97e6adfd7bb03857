"""Reading leads: one lead for a page (in scope), the list with its filters, search,
sorting and paging, the detail page's parts (timeline, history) and the audit of
confidential leads viewed.

Pages, API and export read through these functions, so scope and share levels hold
everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from app import audit, scope
from app.auth.models import User
from app.caching import reused_statement
from app.clock import local_today
from app.core.models import AuditEvent, Municipality
from app.extensions import db
from app.input_rules import is_id
from app.leads.access import (
    ANONYMISED,
    OWNER,
    audience_key,
    can_contribute,
    can_edit,
    can_respond,
    full_level_filter,
    level_of,
    share_level_for,
    shared_level_column,
    shows_company,
)
from app.leads.companies import (
    can_edit_company,
    normalise_company_name,
    visible_companies,
    visible_contacts,
)
from app.leads.followups import lead_followups
from app.leads.models import Activity, ActivityKind, Company, FollowUp, Lead, LeadShare, Source, Stage
from app.viewer import Viewer

PAGE_SIZE = 50


def get_lead_or_404(user: Viewer, lead_id: int) -> Lead:
    """The lead with what every lead page uses of it (company, owner, municipality and
    shares) joined in the same statement; the company's and the owner's municipality,
    which no lead page shows, load only if asked (a statement and a join fewer)."""
    if not is_id(lead_id):
        abort(404)
    return scope.get_visible_or_404(
        user, Lead, lead_id,
        sa.orm.joinedload(Lead.company).lazyload(Company.municipality),
        sa.orm.joinedload(Lead.owner).lazyload(User.municipality),
        sa.orm.joinedload(Lead.municipality), sa.orm.joinedload(Lead.shares))


def get_lead(user: Viewer, lead_id: int, *options: Any) -> Lead | None:
    return scope.get_visible(user, Lead, lead_id, *options) if is_id(lead_id) else None


# For pages that read only the lead's own columns (the match page and its API): its
# company, owner and municipality, otherwise loaded with it (selectin), load if asked.
OWN_COLUMNS_ONLY = (sa.orm.lazyload(Lead.company), sa.orm.lazyload(Lead.owner),
                    sa.orm.lazyload(Lead.municipality))


def get_lead_columns_or_404(user: Viewer, lead_id: int) -> Lead:
    """The lead without what get_lead_or_404 joins to it (OWN_COLUMNS_ONLY)."""
    if not is_id(lead_id):
        abort(404)
    return scope.get_visible_or_404(user, Lead, lead_id, *OWN_COLUMNS_ONLY)


def record_view(user: Viewer, lead: Lead) -> None:
    """A confidential lead viewed by a user of another municipality is audited."""
    record_views(user, [lead], "lead.viewed_confidential")


def record_views(user: Viewer, leads: Sequence[Any], action: str,
                 details: dict[str, Any] | None = None) -> int:
    """Audit `action` for each confidential lead of another municipality among `leads`
    (Lead objects or rows with id, confidential, municipality_id): a detail page, a lead
    in an export or an API list. Committed at once (which expires the session's objects:
    call it when done reading them); returns how many were recorded."""
    foreign = [lead for lead in leads
               if lead.confidential and lead.municipality_id != user.municipality_id]
    for lead in foreign:
        audit.record(user, action, "lead", lead.id, after=details,
                     municipality_id=lead.municipality_id)
    if foreign:
        db.session.commit()
    return len(foreign)


# --- the list ------------------------------------------------------------------------


@dataclass
class LeadFilters:
    stage: list[str] = field(default_factory=list)
    municipality: str | None = None
    owner_id: int | None = None
    sector: str | None = None
    source: str | None = None
    confidential: bool | None = None
    overdue: bool = False
    q: str | None = None
    sort: str = "received_desc"
    scope: str | None = None  # one of LEAD_SCOPES: whose leads, seen from the user's municipality

    @property
    def searching(self) -> bool:
        """Whether `q` holds text to search for."""
        return bool(self.q and self.q.strip())

    def cache_key(self) -> tuple:
        """The filters as a hashable value (app.caching.reused_statement)."""
        return (tuple(self.stage), self.municipality, self.owner_id, self.sector, self.source,
                self.confidential, self.overdue, self.q, self.sort, self.scope)


SORTS = ("received_desc", "received_asc", "codename", "company", "stage", "updated_desc")
# owned: our municipality's; shared: shared with us; awaiting: shared with us, not yet
# answered by us; answered: ours, answered by a partner.
LEAD_SCOPES = ("owned", "shared", "awaiting", "answered")


def scope_criterion(user: Viewer, which: str) -> sa.ColumnElement[bool]:
    """The leads of `which` (LEAD_SCOPES), seen from the user's municipality."""
    ours = Lead.municipality_id == user.municipality_id
    with_us = sa.select(LeadShare.lead_id).where(LeadShare.municipality_id == user.municipality_id)
    if which == "owned":
        return ours
    if which == "shared":
        return Lead.id.in_(with_us)
    if which == "awaiting":
        return Lead.id.in_(with_us.where(LeadShare.response.is_(None)))
    answered = sa.select(LeadShare.lead_id).where(LeadShare.response.is_not(None))
    return sa.and_(ours, Lead.id.in_(answered))


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern with escape "\\": its %, _ and \\ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(text: str) -> str:
    return f"%{escape_like(text)}%"


def search_criterion(user: Viewer, text: str) -> sa.ColumnElement[bool]:
    """Codename always; company, organisation number and description only where the
    user sees the lead at full level."""
    return sa.or_(*search_branches(user, text))


def search_branches(user: Viewer, text: str) -> list[sa.ColumnElement[bool]]:
    """search_criterion's alternatives (a lead matches if it matches one): codename;
    company or organisation number at full level; description at full level. Each is
    answered from an index of its own, so the list's page reads their union
    (`_matches`) rather than one scan that rechecks every alternative on every row."""
    pattern = like_pattern(text.strip())
    key = normalise_company_name(text)
    companies = sa.select(Company.id).where(sa.or_(
        Company.name_key.like(like_pattern(key), escape="\\") if key else sa.false(),
        Company.orgnr.like(pattern, escape="\\")))
    if db.engine.dialect.name == "postgresql":
        # = ANY(ARRAY(…)): the companies are found once, then their leads by index.
        company_match = Lead.company_id == sa.any_(sa.func.array(companies.scalar_subquery()))
    else:
        company_match = Lead.company_id.in_(companies)
    return [Lead.codename.ilike(pattern, escape="\\"),
            sa.and_(full_level_filter(user), company_match),
            sa.and_(full_level_filter(user), Lead.description.ilike(pattern, escape="\\"))]


def companies_matching(user: Viewer, q: str, limit: int = 200) -> list[Company]:
    """The companies the user sees (companies.visible_companies) whose name, name key or
    organisation number contains `q` (all of them for an empty `q`), by name key."""
    statement = visible_companies(user)
    if q:
        statement = statement.where(sa.or_(
            Company.name.ilike(like_pattern(q), escape="\\"),
            Company.name_key.like(like_pattern(normalise_company_name(q)), escape="\\"),
            Company.orgnr.like(like_pattern(q), escape="\\")))
    return list(db.session.scalars(statement.order_by(Company.name_key, Company.id).limit(limit)))


def lead_query(user: Viewer, filters: LeadFilters) -> sa.Select:
    """The visible leads matching the filters, sorted; company-based sorting only
    uses companies the user may see."""
    statement = sa.select(Lead).where(scope.visible_filter(user, Lead))
    stages = [s for s in filters.stage if s in Stage._value2member_map_]
    if stages:
        statement = statement.where(Lead.stage.in_([Stage(s) for s in stages]))
    if filters.municipality:
        statement = statement.where(Lead.municipality_id == sa.select(Municipality.id).where(
            Municipality.slug == filters.municipality).scalar_subquery())
    if filters.owner_id:
        statement = statement.where(Lead.owner_id == filters.owner_id)
    if filters.sector:
        statement = statement.where(Lead.sector.ilike(like_pattern(filters.sector), escape="\\"))
    if filters.source is not None and filters.source in Source._value2member_map_:
        statement = statement.where(Lead.source == Source(filters.source))
    if filters.confidential is not None:
        statement = statement.where(Lead.confidential.is_(filters.confidential))
    if filters.scope in LEAD_SCOPES:
        statement = statement.where(scope_criterion(user, filters.scope))
    if filters.overdue:
        statement = statement.where(Lead.id.in_(sa.select(FollowUp.lead_id).where(
            FollowUp.done_at.is_(None), FollowUp.due_on < local_today())))
    if filters.searching:
        statement = statement.where(search_criterion(user, filters.q or ""))
    return statement.order_by(*_ordering(user, _sort(filters)))


def _sort(filters: LeadFilters) -> str:
    return filters.sort if filters.sort in SORTS else "received_desc"


def _sort_keys(user: Viewer, sort: str) -> list[tuple[Any, bool]]:
    """The sort order as (expression, descending) pairs."""
    if sort == "received_asc":
        return [(Lead.received_on, False), (Lead.id, False)]
    if sort == "codename":
        return [(Lead.codename, False), (Lead.id, False)]
    if sort == "stage":
        order = sa.case({s.value: i for i, s in enumerate(Stage)}, value=Lead.stage)
        return [(order, False), (Lead.received_on, True), (Lead.id, True)]
    if sort == "updated_desc":
        return [(Lead.updated_at, True), (Lead.id, True)]
    if sort == "company":
        name = (sa.select(Company.name_key).where(Company.id == Lead.company_id)
                .scalar_subquery())
        visible_name = sa.case((full_level_filter(user), name), else_=sa.null())
        return [(visible_name.is_(None), False), (visible_name, False), (Lead.codename, False),
                (Lead.id, False)]
    return [(Lead.received_on, True), (Lead.id, True)]


def _ordering(user: Viewer, sort: str) -> list:
    return [key.desc() if descending else key.asc() for key, descending in _sort_keys(user, sort)]


@dataclass
class LeadPage:
    rows: Sequence[sa.Row]  # _list_columns() of each lead on the page, not Lead objects
    total: int
    levels: dict[int, str]  # as share_levels
    companies: dict[int, str]  # company names, only of leads whose level shows them
    next_followups: dict[int, date]  # the earliest open follow-up of each lead that has one


def _list_columns() -> tuple:
    """What a row of the lead list shows (and level_of needs)."""
    return (Lead.id, Lead.codename, Lead.stage, Lead.confidential, Lead.municipality_id,
            Lead.sector, Lead.received_on, Lead.web_inquiry_new,
            Company.name.label("company_name"),
            Municipality.name.label("municipality_name"), User.name.label("owner_name"))


def with_names(statement: sa.Select, lead: Any = Lead) -> sa.Select:
    """`statement` joined to what gives a lead's company, municipality and owner names;
    `lead`: the lead's columns (Lead, or a subquery's `.c`)."""
    return (statement.join(Municipality, Municipality.id == lead.municipality_id)
            .join(User, User.id == lead.owner_id)
            .outerjoin(Company, Company.id == lead.company_id))


def lead_page(user: Viewer, filters: LeadFilters, page: int) -> LeadPage:
    """Page `page` (PAGE_SIZE leads) of `lead_query`, how many leads it matches, and each
    lead's share level, visible company name and next follow-up. The statement
    (`_page_statement`) is built once per process for each scope and filters; a page
    beyond the end has no row to carry the total, so it is counted separately."""
    key = ("lead_page", audience_key(user), db.engine.dialect.name, local_today(),
           PAGE_SIZE, filters.cache_key())
    statement = reused_statement(key, lambda: _page_statement(user, filters))
    rows = db.session.execute(statement, {"page_offset": (page - 1) * PAGE_SIZE}).all()
    if not rows:
        return LeadPage([], count_leads(lead_query(user, filters)) if page > 1 else 0, {}, {}, {})
    levels = {row.id: level_of(user, row, row.shared) for row in rows}
    return LeadPage(
        rows=rows, total=rows[0].total,
        levels={lead_id: level for lead_id, level in levels.items() if level},
        companies={row.id: row.company_name for row in rows
                   if row.company_name and shows_company(levels[row.id])},
        next_followups={row.id: row.next_due for row in rows if row.next_due})


def _page_statement(user: Viewer, filters: LeadFilters) -> sa.Select:
    """One statement reads the matching rows once for both the total (count(*) OVER ()) and
    the page (a top-N sort of their ids and sort keys, without the wide columns), from
    bindparam `page_offset`; only the page's leads are joined back, as plain rows of what
    the list shows, with share level and next follow-up. The count sits in a subquery of
    its own so that PostgreSQL plans it for all rows: under the ORDER BY … LIMIT it would
    walk the whole received_on index instead."""
    keys = _sort_keys(user, _sort(filters))
    matches = _matches(user, filters, keys)
    ids = (sa.select(matches).order_by(*_key_order(matches, keys)).limit(PAGE_SIZE)
           .offset(sa.bindparam("page_offset", type_=sa.Integer)).subquery())
    return with_names(
        sa.select(*_list_columns(), ids.c.total, shared_level_column(user).label("shared"),
                  next_due_column().label("next_due"))
        .join(ids, Lead.id == ids.c.id)).order_by(*_key_order(ids, keys))


def _matches(user: Viewer, filters: LeadFilters,
             keys: list[tuple[sa.ColumnElement, bool]]) -> sa.Subquery:
    """id, sort keys (key0, key1, …) and total of every lead `lead_query` finds. A search
    is read as the union of its branches (`search_branches`), each with the other
    filters: the same leads, each from its own index."""
    columns = (Lead.id, *(key.label(f"key{i}") for i, (key, _descending) in enumerate(keys)))
    total = sa.func.count().over().label("total")
    if not filters.searching:
        return (lead_query(user, filters).with_only_columns(*columns, total)
                .order_by(None).subquery())
    others = lead_query(user, replace(filters, q=None)).with_only_columns(*columns).order_by(None)
    found = sa.union(*(others.where(branch) for branch in search_branches(user, filters.q or "")))
    return sa.select(found.subquery(), total).subquery()


def _key_order(subquery: sa.Subquery, keys: list[tuple[sa.ColumnElement, bool]]) -> list:
    columns = [subquery.c[f"key{i}"] for i in range(len(keys))]
    return [column.desc() if descending else column.asc()
            for column, (_key, descending) in zip(columns, keys, strict=True)]


def count_leads(statement: sa.Select) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    ) or 0


def next_due_column(lead_id: Any = Lead.id) -> sa.ScalarSelect:
    """The earliest open follow-up of the enclosing query's lead (`lead_id`: its id column),
    by index ix_follow_ups_lead_open, instead of a query of its own."""
    return (sa.select(sa.func.min(FollowUp.due_on))
            .where(FollowUp.lead_id == lead_id, FollowUp.done_at.is_(None)).scalar_subquery())



def visible_activities(user: Viewer, lead: Lead, level: str, limit: int = 200) -> list[Activity]:
    """The timeline, newest first; anonymised shares see no internal entries, except
    those their own municipality wrote; a partner sees only its own share changes and
    answers (never another partner's)."""
    statement = (sa.select(Activity).where(Activity.lead_id == lead.id)
                 .options(selectinload(Activity.mentions))
                 .order_by(Activity.at.desc(), Activity.id.desc()).limit(limit))
    if level != OWNER:
        statement = statement.where(sa.or_(
            Activity.kind.not_in([ActivityKind.SHARE_CHANGE, ActivityKind.PARTNER_ANSWER]),
            Activity.municipality_id == user.municipality_id))
    if level == ANONYMISED:
        statement = statement.where(sa.or_(Activity.internal.is_(False),
                                           Activity.municipality_id == user.municipality_id))
    return list(db.session.scalars(statement))


def lead_history(lead: Lead, limit: int = 200) -> list:
    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "lead",
                                    AuditEvent.object_id == lead.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


def lead_detail(user: Viewer, lead: Lead) -> dict[str, Any]:
    """Everything the detail page may show this user of this lead, by share level."""
    level = share_level_for(user, lead)
    assert level is not None, "lead_detail is asked only for a lead the user sees"
    shares = lead.shares if level == OWNER else [
        s for s in lead.shares if s.municipality_id == user.municipality_id]
    company = lead.company if shows_company(level) else None
    return {
        "level": level,
        "show_company": shows_company(level),
        "company": company,
        # the company's contacts the user may see: those of leads seen at full level
        "contacts": visible_contacts(user, company) if company is not None else [],
        "can_edit_company": company is not None and can_edit_company(user, company),
        "activities": visible_activities(user, lead, level),
        "followups": lead_followups(user, lead, level),
        "shares": shares,
        "history": lead_history(lead) if level == OWNER else [],
        "can_edit": can_edit(user, lead),
        "can_contribute": can_contribute(user, lead),
        "can_respond": can_respond(user, lead),
    }
