"""The rules of the lead pipeline: who sees what of a lead, who may change it,
creating and editing leads, stage changes, activities and the list query.

Pages, API, export and demo data all go through these functions, so scope,
share levels, stage rules, locking and audit hold everywhere.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql

from app import audit, scope
from app.auth.models import User
from app.caching import reused_statement
from app.clock import local_today, utcnow  # noqa: F401 - local_today: used via this module
from app.extensions import db
from app.leads import secrecy
from app.leads.access import (  # noqa: F401 - the lead rules, used through this module too
    ANONYMISED,
    FULL,
    OWNER,
    audience_key,
    can_contribute,
    can_edit,
    can_hand_over,
    can_respond,
    full_level_filter,
    is_partner,
    level_of,
    share_level_for,
    share_levels,
    shared_level_column,
    shows_company,
)
from app.leads.models import (
    CLOSED_STAGES,
    OPEN_STAGES,
    Activity,
    ActivityKind,
    Company,
    FollowUp,
    Lead,
    LostReason,
    ShareLevel,
    Source,
    Stage,
)
from app.locking import update_versioned

PAGE_SIZE = 50
MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer column exist nowhere


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


class PermissionDenied(Exception):
    """The user may see the lead but not do this to it (403)."""


class ValidationFailed(Exception):
    """Field errors: {field: [message, …]}; nothing was stored."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("invalid input")
        self.fields = fields


def get_lead_or_404(user: Any, lead_id: int) -> Lead:
    """The lead with what every lead page uses of it (company, owner, municipality and
    shares) joined in the same statement."""
    if not is_id(lead_id):
        abort(404)
    return scope.get_visible_or_404(
        user, Lead, lead_id, sa.orm.joinedload(Lead.company), sa.orm.joinedload(Lead.owner),
        sa.orm.joinedload(Lead.municipality), sa.orm.joinedload(Lead.shares))


def get_lead(user: Any, lead_id: int) -> Lead | None:
    return scope.get_visible(user, Lead, lead_id) if is_id(lead_id) else None


def record_view(user: Any, lead: Lead) -> None:
    """A confidential lead viewed by a user of another municipality is audited."""
    record_views(user, [lead], "lead.viewed_confidential")


def record_views(user: Any, leads: list[Any], action: str,
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

    @property
    def searching(self) -> bool:
        """Whether `q` holds text to search for."""
        return bool(self.q and self.q.strip())

    def cache_key(self) -> tuple:
        """The filters as a hashable value (app.caching.reused_statement)."""
        return (tuple(self.stage), self.municipality, self.owner_id, self.sector, self.source,
                self.confidential, self.overdue, self.q, self.sort)


SORTS = ("received_desc", "received_asc", "codename", "company", "stage", "updated_desc")


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_criterion(user: Any, text: str) -> sa.ColumnElement[bool]:
    """Codename always; company, organisation number and description only where the
    user sees the lead at full level."""
    return sa.or_(*search_branches(user, text))


def search_branches(user: Any, text: str) -> list[sa.ColumnElement[bool]]:
    """search_criterion's alternatives (a lead matches if it matches one): codename;
    company or organisation number at full level; description at full level. Each is
    answered from an index of its own, so the list's page reads their union
    (`_matches`) rather than one scan that rechecks every alternative on every row."""
    from app.leads.companies import normalise_company_name

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


def lead_query(user: Any, filters: LeadFilters) -> sa.Select:
    """The visible leads matching the filters, sorted; company-based sorting only
    uses companies the user may see."""
    from app.core.models import Municipality

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
    if filters.source in Source._value2member_map_:
        statement = statement.where(Lead.source == Source(filters.source))
    if filters.confidential is not None:
        statement = statement.where(Lead.confidential.is_(filters.confidential))
    if filters.overdue:
        statement = statement.where(Lead.id.in_(sa.select(FollowUp.lead_id).where(
            FollowUp.done_at.is_(None), FollowUp.due_on < local_today())))
    if filters.searching:
        statement = statement.where(search_criterion(user, filters.q))
    return statement.order_by(*_ordering(user, _sort(filters)))


def _sort(filters: LeadFilters) -> str:
    return filters.sort if filters.sort in SORTS else "received_desc"


def _sort_keys(user: Any, sort: str) -> list[tuple[sa.ColumnElement, bool]]:
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


def _ordering(user: Any, sort: str) -> list:
    return [key.desc() if descending else key.asc() for key, descending in _sort_keys(user, sort)]


@dataclass
class LeadPage:
    rows: list[sa.Row]  # _list_columns() of each lead on the page, not Lead objects
    total: int
    levels: dict[int, str]  # as share_levels
    companies: dict[int, str]  # company names, only of leads whose level shows them
    next_followups: dict[int, date]  # the earliest open follow-up of each lead that has one


def _list_columns() -> tuple:
    """What a row of the lead list shows (and level_of needs)."""
    from app.core.models import Municipality

    return (Lead.id, Lead.codename, Lead.stage, Lead.confidential, Lead.municipality_id,
            Lead.sector, Lead.received_on, Company.name.label("company_name"),
            Municipality.name.label("municipality_name"), User.name.label("owner_name"))


def _with_names(statement: sa.Select, lead: Any = Lead) -> sa.Select:
    """`statement` joined to what gives a lead's company, municipality and owner names;
    `lead`: the lead's columns (Lead, or a subquery's `.c`)."""
    from app.core.models import Municipality

    return (statement.join(Municipality, Municipality.id == lead.municipality_id)
            .join(User, User.id == lead.owner_id)
            .outerjoin(Company, Company.id == lead.company_id))


def lead_page(user: Any, filters: LeadFilters, page: int) -> LeadPage:
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


def _page_statement(user: Any, filters: LeadFilters) -> sa.Select:
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
    return _with_names(
        sa.select(*_list_columns(), ids.c.total, shared_level_column(user).label("shared"),
                  next_due_column().label("next_due"))
        .join(ids, Lead.id == ids.c.id)).order_by(*_key_order(ids, keys))


def _matches(user: Any, filters: LeadFilters,
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
    found = sa.union(*(others.where(branch) for branch in search_branches(user, filters.q)))
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


# --- creating and editing --------------------------------------------------------------

EDITABLE_FIELDS = (
    "codename", "registration_number", "source", "received_on", "sector", "confidential",
    "confidential_basis", "description", "land_min_m2", "land_max_m2", "land_must", "building_m2",
    "building_must",
    "rail_siding", "rail_must", "motorway_km_max", "motorway_must", "terminal_km_max",
    "terminal_must", "power_mw", "power_must", "water_sewage", "water_must",
    "preferred_municipalities", "preferred_must", "desired_start", "start_must",
    "expected_jobs", "investment_msek",
)

CODENAME_WORDS = (
    "Trana", "Lärka", "Falk", "Örn", "Hök", "Svala", "Stare", "Mås", "Ejder", "Tärna", "Uggla",
    "Gök", "Korp", "Kaja", "Skata", "Sparv", "Fink", "Mes", "Domherre", "Hackspett", "Vipa",
    "Rördrom", "Sädesärla", "Näktergal", "Trast", "Glada", "Vråk", "Lom", "Knipa", "Gräsand",
    "Storspov", "Tofsvipa", "Järpe", "Orre", "Tjäder", "Rapphöna", "Kungsfågel", "Gärdsmyg",
    "Nötväcka", "Trädkrypare", "Stenknäck", "Grönsiska", "Steglits", "Hämpling", "Kornsparv",
    "Lappsparv", "Snösparv", "Forsärla", "Strömstare", "Kricka",
)


def suggest_codename(municipality_id: int | None) -> str:
    """'Projekt <bird>', with a number added when every plain name is taken; codenames are
    unique per municipality, so only that municipality's leads are looked at."""
    taken = set(db.session.scalars(sa.select(Lead.codename).where(
        Lead.municipality_id == municipality_id, Lead.codename.like("Projekt %"))))
    for word in CODENAME_WORDS:
        if f"Projekt {word}" not in taken:
            return f"Projekt {word}"
    rng = random.Random()
    while True:
        candidate = f"Projekt {rng.choice(CODENAME_WORDS)} {rng.randint(2, 9999)}"
        if candidate not in taken:
            return candidate


def _check_lead_values(values: dict[str, Any], municipality_id: int,
                       lead_id: int | None = None) -> None:
    """Rules across fields, applied by every entry point (form checks come first). The
    codename is checked only against the municipality's own leads: other municipalities'
    codenames are theirs (and a clash must not reveal a confidential lead)."""
    errors: dict[str, list[str]] = {}
    low, high = values.get("land_min_m2"), values.get("land_max_m2")
    if low is not None and high is not None and high < low:
        errors["land_max_m2"] = [str(_l("The maximum must not be below the minimum."))]
    for name in ("land_min_m2", "land_max_m2", "building_m2", "motorway_km_max",
                 "terminal_km_max", "power_mw", "expected_jobs", "investment_msek"):
        if values.get(name) is not None and values[name] < 0:
            errors.setdefault(name, []).append(str(_l("Must not be negative.")))
    codename = values.get("codename")
    if codename:
        clash = sa.select(Lead.id).where(Lead.municipality_id == municipality_id,
                                         Lead.codename == codename)
        if lead_id:
            clash = clash.where(Lead.id != lead_id)
        if db.session.scalar(clash) is not None:
            errors["codename"] = [str(_l("Another lead already has this codename."))]
    if errors:
        raise ValidationFailed(errors)


def snapshot(lead: Lead) -> dict[str, Any]:
    return {name: getattr(lead, name) for name in EDITABLE_FIELDS} | {
        "company_id": lead.company_id, "stage": lead.stage, "owner_id": lead.owner_id}


def _check_company_of(lead: Lead, company: Company) -> None:
    """A lead links only to a company of its own municipality's register; a new company
    joins that register."""
    if company.id is None:
        if company.municipality_id is None:
            company.municipality_id = lead.municipality_id
        db.session.add(company)
    if company.municipality_id != lead.municipality_id:
        raise ValidationFailed({"company_id": [str(_l("Unknown company."))]})


def create_lead(user: Any, values: dict[str, Any], company: Company | None = None) -> Lead:
    """A new lead owned by `user` and their municipality (advisors only)."""
    if not user.is_advisor:
        raise PermissionDenied()
    values = dict(values)
    if not values.get("codename"):
        values["codename"] = suggest_codename(user.municipality_id)
    _check_lead_values(values, user.municipality_id)
    lead = Lead(owner_id=user.id, municipality_id=user.municipality_id, stage=Stage.NEW,
                **{name: values.get(name) for name in EDITABLE_FIELDS if name in values})
    for flag in ("confidential", "land_must", "building_must", "rail_must", "motorway_must",
                 "terminal_must", "power_must", "water_must", "preferred_must", "start_must"):
        setattr(lead, flag, bool(values.get(flag)))
    if lead.received_on is None:
        lead.received_on = local_today()
    for name, value in secrecy.marking(user, False, lead.confidential,
                                       values.get("confidential_basis")).items():
        setattr(lead, name, value)
    if company is not None:
        _check_company_of(lead, company)
        lead.company = company
    db.session.add(lead)
    db.session.flush()
    audit.record(user, "lead.created", "lead", lead.id, after=snapshot(lead),
                 municipality_id=lead.municipality_id)
    db.session.commit()
    return lead


def update_lead(user: Any, lead: Lead, submitted_version: int | None, values: dict[str, Any],
                company: Company | None = None, unlink_company: bool = False,
                commit: bool = True) -> Lead:
    """Edit a lead; the UPDATE checks the version (StaleVersion when someone was first).
    With `commit=False` the caller commits (one transaction for several changes) or lets
    the request's rollback undo it."""
    if not can_edit(user, lead):
        raise PermissionDenied()
    values = {name: value for name, value in values.items() if name in EDITABLE_FIELDS}
    if "codename" in values and not values["codename"]:
        values["codename"] = lead.codename
    if "received_on" in values and values["received_on"] is None:
        values["received_on"] = lead.received_on
    merged = snapshot(lead) | values
    _check_lead_values(merged, lead.municipality_id, lead.id)
    before = snapshot(lead)
    if company is not None:
        _check_company_of(lead, company)
        db.session.flush()
        values["company_id"] = company.id
    elif unlink_company:
        values["company_id"] = None
    values["updated_at"] = utcnow()
    was_confidential = lead.confidential
    values |= secrecy.marking(user, was_confidential, merged["confidential"],
                              values.get("confidential_basis"), lead.confidential_basis)
    update_versioned(lead, submitted_version, values)
    if lead.confidential and not was_confidential:
        secrecy.lower_unfounded_full_shares(user, lead)
    changed_before, changed_after = audit.changes(before, snapshot(lead))
    audit.record(user, "lead.updated", "lead", lead.id, before=changed_before,
                 after=changed_after, municipality_id=lead.municipality_id)
    if commit:
        db.session.commit()
    return lead


# --- stages ------------------------------------------------------------------------------


def stage_requirements(stage: Stage, data: dict[str, Any]) -> dict[str, list[str]]:
    """The field errors of a stage change lacking its data."""
    errors: dict[str, list[str]] = {}
    required = str(_l("Required for this stage."))
    if stage == Stage.LOST:
        if not data.get("lost_reason"):
            errors["lost_reason"] = [required]
        elif data["lost_reason"] not in LostReason._value2member_map_:
            errors["lost_reason"] = [str(_l("Not a valid choice."))]
        if not (data.get("lost_comment") or "").strip():
            errors["lost_comment"] = [required]
    if stage == Stage.WON:
        for name in ("decided_on", "expected_jobs", "investment_msek"):
            if data.get(name) is None or data.get(name) == "":
                errors[name] = [required]
            elif name != "decided_on" and data[name] < 0:
                errors[name] = [str(_l("Must not be negative."))]
    return errors


def change_stage(user: Any, lead: Lead, submitted_version: int | None, stage: str,
                 data: dict[str, Any] | None = None, commit: bool = True) -> Lead:
    """Move a lead to another stage: checks its data, writes an activity and an audit event
    (committed unless `commit=False`, as in update_lead)."""
    if not can_edit(user, lead):
        raise PermissionDenied()
    data = data or {}
    if stage not in Stage._value2member_map_:
        raise ValidationFailed({"stage": [str(_l("Not a valid choice."))]})
    new_stage = Stage(stage)
    if new_stage == lead.stage:
        raise ValidationFailed({"stage": [str(_l("The lead is already at this stage."))]})
    errors = stage_requirements(new_stage, data)
    if errors:
        raise ValidationFailed(errors)
    values: dict[str, Any] = {"stage": new_stage, "stage_changed_at": utcnow(),
                              "updated_at": utcnow()}
    if new_stage == Stage.LOST:
        values |= {"lost_reason": LostReason(data["lost_reason"]),
                   "lost_comment": data["lost_comment"].strip()}
    if new_stage == Stage.WON:
        values |= {"decided_on": data["decided_on"], "expected_jobs": data["expected_jobs"],
                   "investment_msek": data["investment_msek"]}
    old_stage = lead.stage
    update_versioned(lead, submitted_version, values)
    db.session.add(Activity(lead_id=lead.id, kind=ActivityKind.STAGE_CHANGE, body="",
                            from_stage=old_stage, to_stage=new_stage, internal=False,
                            author_id=user.id, municipality_id=user.municipality_id))
    audit.record(user, "lead.stage_changed", "lead", lead.id,
                 before={"stage": old_stage},
                 after={key: value for key, value in values.items() if key != "updated_at"},
                 municipality_id=lead.municipality_id)
    if commit:
        db.session.commit()
    return lead


# --- activities ----------------------------------------------------------------------------


def add_activity(user: Any, lead: Lead, kind: str, body: str, internal: bool = True,
                 at: datetime | None = None) -> Activity:
    if not can_contribute(user, lead):
        raise PermissionDenied()
    if kind not in ActivityKind._value2member_map_ or kind == ActivityKind.STAGE_CHANGE:
        raise ValidationFailed({"kind": [str(_l("Not a valid choice."))]})
    if not (body or "").strip():
        raise ValidationFailed({"body": [str(_l("This field is required."))]})
    activity = Activity(lead_id=lead.id, kind=ActivityKind(kind), body=body, internal=internal,
                        author_id=user.id, municipality_id=user.municipality_id,
                        at=at or utcnow())
    db.session.add(activity)
    db.session.flush()
    audit.record(user, "activity.created", "lead", lead.id,
                 after={"activity_id": activity.id, "kind": kind, "internal": internal},
                 municipality_id=lead.municipality_id)
    db.session.commit()
    return activity


def visible_activities(user: Any, lead: Lead, level: str, limit: int = 200) -> list[Activity]:
    """The timeline, newest first; anonymised shares see no internal entries, except
    those their own municipality wrote."""
    statement = (sa.select(Activity).where(Activity.lead_id == lead.id)
                 .order_by(Activity.at.desc(), Activity.id.desc()).limit(limit))
    if level == ANONYMISED:
        statement = statement.where(sa.or_(Activity.internal.is_(False),
                                           Activity.municipality_id == user.municipality_id))
    return list(db.session.scalars(statement))


def lead_history(lead: Lead, limit: int = 200) -> list:
    from app.core.models import AuditEvent

    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "lead",
                                    AuditEvent.object_id == lead.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


# --- handover -------------------------------------------------------------------------------


def handover_people(actor: Any) -> sa.Select:
    """Whose leads the actor may hand over: an advisor, the people of their own
    municipality; the admin, everyone (but only the leads the admin may see)."""
    statement = sa.select(User).order_by(User.name)
    if not actor.is_admin:
        statement = statement.where(User.municipality_id == actor.municipality_id)
    return statement


def handover(actor: Any, from_user: Any, to_user: Any) -> dict[str, int]:
    """Move the leads of `from_user` that the actor may see, and the open follow-ups on
    them, to another advisor of the same municipality. Advisors hand over within their own
    municipality; the admin's handover covers only leads the admin may see (another
    municipality's confidential leads stay, uncounted: secrecy holds for the admin too)."""
    if not can_hand_over(actor):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    if from_user is None or (not actor.is_admin
                             and from_user.municipality_id != actor.municipality_id):
        errors["from_user"] = [str(_l("Unknown user."))]
    if to_user is None or not to_user.active or not to_user.is_advisor:
        errors["to_user"] = [str(_l("Choose an active advisor."))]
    elif from_user is not None and from_user.id == to_user.id:
        errors["to_user"] = [str(_l("Choose two different users."))]
    elif from_user is not None and to_user.municipality_id != from_user.municipality_id:
        errors["to_user"] = [str(_l("The new owner must work in the same municipality."))]
    if errors:
        raise ValidationFailed(errors)
    visible = scope.visible_filter(actor, Lead)
    lead_ids = list(db.session.scalars(
        sa.select(Lead.id).where(Lead.owner_id == from_user.id, visible).order_by(Lead.id)))
    followup_ids = list(db.session.scalars(
        sa.select(FollowUp.id).join(Lead, Lead.id == FollowUp.lead_id)
        .where(FollowUp.assignee_id == from_user.id, FollowUp.done_at.is_(None), visible)
        .order_by(FollowUp.id)))
    if lead_ids:
        db.session.execute(sa.update(Lead).where(Lead.id.in_(lead_ids))
                           .values(owner_id=to_user.id, version=Lead.version + 1,
                                   updated_at=utcnow())
                           .execution_options(synchronize_session=False))
    if followup_ids:
        db.session.execute(sa.update(FollowUp).where(FollowUp.id.in_(followup_ids))
                           .values(assignee_id=to_user.id)
                           .execution_options(synchronize_session=False))
    audit.record(actor, "leads.handover", "user", from_user.id,
                 before={"owner_id": from_user.id},
                 after={"owner_id": to_user.id, "lead_ids": lead_ids,
                        "followup_ids": followup_ids},
                 municipality_id=from_user.municipality_id)
    db.session.commit()
    db.session.expire_all()
    return {"leads": len(lead_ids), "followups": len(followup_ids)}


# --- pipeline --------------------------------------------------------------------------------

PIPELINE_STAGES = OPEN_STAGES[:-1] + CLOSED_STAGES + (Stage.ON_HOLD,)
CARDS_PER_COLUMN = 50
CLOSED_WINDOW = timedelta(days=90)


class Card(NamedTuple):
    """What a kanban card shows (and level_of needs): a plain tuple, since a card's values
    are read a dozen times each and a tuple's attributes cost a tenth of a Row's."""

    id: int
    codename: str
    version: int
    stage: Stage
    confidential: bool
    municipality_id: int
    company_name: str | None  # shown only where the level allows
    municipality_name: str
    owner_name: str
    next_due: date | None  # the earliest open follow-up
    shared: ShareLevel | None  # for level_of


def pipeline(user: Any) -> dict[Stage, dict[str, Any]]:
    """Kanban columns: open stages plus won/lost of the last 90 days, at most
    CARDS_PER_COLUMN `Card`s each and whether there are more.

    One statement, built once per process for each scope: each column's newest
    CARDS_PER_COLUMN + 1 visible leads, read with the lead columns a card shows
    (`_pipeline_leads`), joined to the names it shows."""
    key = ("pipeline", audience_key(user), db.engine.dialect.name, CARDS_PER_COLUMN)
    statement = reused_statement(key, lambda: _pipeline_statement(user))
    rows = db.session.execute(statement, {"closed_since": utcnow() - CLOSED_WINDOW})
    columns: dict[Stage, dict[str, Any]] = {
        stage: {"cards": [], "more": False} for stage in PIPELINE_STAGES}
    for card in map(Card._make, rows):
        column = columns[card.stage]
        if len(column["cards"]) < CARDS_PER_COLUMN:
            column["cards"].append(card)
        else:
            column["more"] = True
    return columns


def _pipeline_statement(user: Any) -> sa.Select:
    """The cards' statement (built once per process for each scope, see `pipeline`)."""
    from app.core.models import Municipality

    newest = _pipeline_leads(user)
    columns_of_card = {
        "id": newest.c.id, "codename": newest.c.codename, "version": newest.c.version,
        "stage": newest.c.stage, "confidential": newest.c.confidential,
        "municipality_id": newest.c.municipality_id, "company_name": Company.name,
        "municipality_name": Municipality.name, "owner_name": User.name,
        "next_due": next_due_column(newest.c.id),
        "shared": shared_level_column(user, newest.c.id, newest.c.municipality_id)}
    return _with_names(
        sa.select(*(columns_of_card[name].label(name) for name in Card._fields))
        .select_from(newest), newest.c,
    ).order_by(newest.c.stage_changed_at.desc(), newest.c.id.desc())


# What `pipeline` reads of a lead: ix_leads_pipeline carries all of it (INCLUDE), so
# PostgreSQL serves each column from the index alone, without visiting the table.
PIPELINE_LEAD_COLUMNS = ("id", "codename", "version", "stage", "confidential",
                         "municipality_id", "owner_id", "company_id", "stage_changed_at")


def _pipeline_leads(user: Any) -> sa.Subquery:
    """Each column's newest CARDS_PER_COLUMN + 1 visible leads (PIPELINE_LEAD_COLUMNS).

    PostgreSQL: one LATERAL subquery run per column, so the visibility filter's set of
    shared leads is built once, and ix_leads_pipeline serves each column from the index
    alone. SQLite: a UNION ALL of one LIMIT query per column."""
    visible = scope.visible_filter(user, Lead)
    since = sa.bindparam("closed_since", type_=Lead.stage_changed_at.type)
    lead_columns = [getattr(Lead, name) for name in PIPELINE_LEAD_COLUMNS]
    newest_first = (Lead.stage_changed_at.desc(), Lead.id.desc())
    if db.engine.dialect.name == "postgresql":
        stages = sa.func.unnest(sa.bindparam(
            "pipeline_stages", [stage.value for stage in PIPELINE_STAGES],
            type_=postgresql.ARRAY(sa.String))).table_valued("stage").render_derived(
            name="pipeline_columns")
        newest = (sa.select(*lead_columns).where(
            visible, Lead.stage == stages.c.stage,
            sa.or_(Lead.stage.not_in(CLOSED_STAGES), Lead.stage_changed_at >= since))
            .order_by(*newest_first).limit(CARDS_PER_COLUMN + 1).lateral("newest"))
        return sa.select(newest).select_from(stages).join(newest, sa.true()).subquery()
    parts = []
    for stage in PIPELINE_STAGES:
        part = sa.select(*lead_columns).where(visible, Lead.stage == stage)
        if stage in CLOSED_STAGES:
            part = part.where(Lead.stage_changed_at >= since)
        limited = part.order_by(*newest_first).limit(CARDS_PER_COLUMN + 1).subquery()
        parts.append(sa.select(limited))
    return sa.union_all(*parts).subquery()


def lead_detail(user: Any, lead: Lead) -> dict[str, Any]:
    """Everything the detail page may show this user of this lead, by share level."""
    from app.leads.companies import can_edit_company, visible_contacts
    from app.leads.followups import lead_followups

    level = share_level_for(user, lead)
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
