"""Follow-ups: dated tasks on a lead for someone who can see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql

from app import audit, scope
from app.auth.models import Role, User
from app.caching import ProcessCache, table_revision
from app.clock import local_today, utcnow
from app.extensions import db
from app.input_rules import FieldErrors, is_id
from app.leads.access import ANONYMISED, can_contribute, can_edit
from app.leads.errors import PermissionDenied
from app.leads.models import FollowUp, Lead
from app.notifications import service as notifications
from app.viewer import Viewer

_ASSIGNEES = ProcessCache(size=64, trick="assignees")


def assignee_choices(lead: Lead) -> tuple[tuple[int, str], ...]:
    """(id, name) of the active advisors of the owning municipality and of the partners,
    by name: every lead page's follow-up form offers them, and a region may have a few
    hundred. Kept per process by the users' revision (users are deactivated, never
    deleted) and the set of municipalities; a tuple, which app.forms.render_field keys
    its cached select by as it is."""
    municipalities = frozenset({lead.municipality_id}
                               | {share.municipality_id for share in lead.shares})

    def build() -> tuple[tuple[int, str], ...]:
        return tuple((user_id, name) for user_id, name in db.session.execute(
            sa.select(User.id, User.name).where(
                User.municipality_id.in_(municipalities), User.active.is_(True),
                User.role == Role.ADVISOR).order_by(User.name, User.id)))

    return _ASSIGNEES.get((table_revision(User), municipalities), build)


def add_followup(user: Viewer, lead: Lead, title: str, due_on: date | None,
                 assignee_id: int | None = None, remind_at: datetime | None = None) -> FollowUp:
    followup = new_followup(user, lead, title, due_on, assignee_id, remind_at)
    db.session.commit()
    return followup


def new_followup(user: Viewer, lead: Lead, title: str, due_on: date | None,
                 assignee_id: int | None = None, remind_at: datetime | None = None,
                 due_time: time | None = None) -> FollowUp:
    """add_followup without the commit, for a change that makes a follow-up with it."""
    if not can_contribute(user, lead):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [str(_l("This field is required."))]
    if due_on is None:
        errors["due_on"] = [str(_l("This field is required."))]
    assignee = (db.session.get(User, assignee_id) if is_id(assignee_id) else None) \
        if assignee_id else user
    if assignee is None or not assignee.is_active or scope.get_visible(assignee, Lead, lead.id) is None:
        errors["assignee_id"] = [str(_l("The assignee must be able to see the lead."))]
    if errors or assignee is None or due_on is None:
        raise FieldErrors(errors)
    followup = FollowUp(lead_id=lead.id, title=title.strip(), due_on=due_on, due_time=due_time,
                        remind_at=remind_at, assignee_id=assignee.id, created_by_id=user.id,
                        municipality_id=user.municipality_id)
    db.session.add(followup)
    db.session.flush()
    audit.record(user, "followup.created", "lead", lead.id,
                 after={"followup_id": followup.id, "title": followup.title, "due_on": due_on,
                        "assignee_id": assignee.id},
                 municipality_id=lead.municipality_id)
    notifications.notify([assignee], "followup_assigned", {
        "actor": notifications.name_of(user), "title": followup.title, "codename": lead.codename,
        "due_on": due_on.isoformat()}, f"/leads/{lead.id}#followups", actor=user,
        lead_id=lead.id)
    return followup


def get_followup(user: Viewer, followup_id: int) -> FollowUp | None:
    """A follow-up on a lead the user can see."""
    if not is_id(followup_id):
        return None
    return db.session.scalar(
        sa.select(FollowUp).join(Lead, Lead.id == FollowUp.lead_id)
        .where(FollowUp.id == followup_id, scope.visible_filter(user, Lead)))


def can_mark_done(user: Viewer, followup: FollowUp, edits_lead: bool | None = None) -> bool:
    """The assignee, the creator or an editor of the lead (`edits_lead`, when the caller
    knows it) marks it done or undoes that; pages show the button to them only."""
    if user.id in (followup.assignee_id, followup.created_by_id):
        return True
    return can_edit(user, followup.lead) if edits_lead is None else edits_lead


def set_done(user: Viewer, followup: FollowUp, done: bool) -> FollowUp:
    if not can_mark_done(user, followup):
        raise PermissionDenied()
    before = {"done_at": followup.done_at}
    followup.done_at = utcnow() if done else None
    audit.record(user, "followup.done" if done else "followup.reopened", "lead", followup.lead_id,
                 before=before, after={"followup_id": followup.id, "done_at": followup.done_at},
                 municipality_id=followup.lead.municipality_id)
    db.session.commit()
    return followup


def lead_followups(user: Viewer, lead: Lead, level: str) -> list[FollowUp]:
    """A lead's follow-ups; anonymised shares see only their own municipality's."""
    statement = (sa.select(FollowUp).where(FollowUp.lead_id == lead.id)
                 .order_by(FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id).limit(200))
    if level == ANONYMISED:
        statement = statement.where(FollowUp.municipality_id == user.municipality_id)
    return list(db.session.scalars(statement))


def visible_codenames(user: Viewer, lead_ids: set[int]) -> dict[int, str]:
    """The codename of each of `lead_ids` the user sees (one query by primary key), with
    its municipality for another municipality's lead (labels.lead_title: codenames are
    unique only within a municipality). On PostgreSQL the ids travel as one array
    parameter: building and parsing hundreds of bound parameters cost more than the
    lookup itself."""
    from app.core.models import Municipality
    from app.leads.labels import lead_title

    if not lead_ids:
        return {}
    if db.engine.dialect.name == "postgresql":
        match = Lead.id == sa.any_(sa.bindparam(
            "lead_ids", sorted(lead_ids), type_=postgresql.ARRAY(sa.Integer)))
    else:
        match = Lead.id.in_(lead_ids)
    rows = db.session.execute(
        sa.select(Lead.id, Lead.codename, Lead.municipality_id, Municipality.name)
        .join(Municipality, Municipality.id == Lead.municipality_id)
        .where(match, scope.visible_filter(user, Lead))).all()
    return {lead_id: lead_title(codename, municipality, municipality_id == user.municipality_id)
            for lead_id, codename, municipality_id, municipality in rows}


@dataclass(frozen=True)
class MyFollowUp:
    """A line of /followups."""

    id: int
    lead_id: int
    codename: str
    title: str
    due_on: date
    due_time: time | None
    remind_at: datetime | None


def _on_visible_leads(user: Viewer, rows: list[sa.Row]) -> list[MyFollowUp]:
    """The follow-ups whose lead the user still sees, with its codename (the leads by
    primary key afterwards: joining first made PostgreSQL scan every lead)."""
    codenames = visible_codenames(user, {row.lead_id for row in rows})
    return [MyFollowUp(row.id, row.lead_id, codenames[row.lead_id], row.title, row.due_on,
                       row.due_time, row.remind_at) for row in rows if row.lead_id in codenames]


MY_FOLLOWUPS_LIMIT = 500


def my_followups(user: Viewer) -> dict[str, list[MyFollowUp]]:
    """The user's follow-ups on leads they still see: overdue, today, this week, later,
    and those done in the last week (to undo). Plain values, not FollowUp objects with
    their leads: a busy advisor has hundreds."""
    today = local_today()
    end_of_week = today + timedelta(days=6 - today.weekday())
    mine = sa.select(FollowUp.id, FollowUp.lead_id, FollowUp.title, FollowUp.due_on,
                     FollowUp.due_time, FollowUp.remind_at).where(FollowUp.assignee_id == user.id)
    open_rows = _on_visible_leads(user, list(db.session.execute(
        mine.where(FollowUp.done_at.is_(None)).order_by(FollowUp.due_on, FollowUp.id)
        .limit(MY_FOLLOWUPS_LIMIT))))
    groups: dict[str, list[MyFollowUp]] = {"overdue": [], "today": [], "week": [], "later": []}
    for followup in open_rows:
        if followup.due_on < today:
            groups["overdue"].append(followup)
        elif followup.due_on == today:
            groups["today"].append(followup)
        elif followup.due_on <= end_of_week:
            groups["week"].append(followup)
        else:
            groups["later"].append(followup)
    since = utcnow() - timedelta(days=7)
    groups["done"] = _on_visible_leads(user, list(db.session.execute(
        mine.where(FollowUp.done_at >= since).order_by(FollowUp.done_at.desc()).limit(100))))
    return groups


def due_by_today(user: Viewer, shown: int) -> dict[str, list[MyFollowUp]]:
    """The first `shown` of the user's open follow-ups overdue and of those due today, on
    leads they still see: the "overdue" and "today" groups of `my_followups`, cut short
    for the start page (a busy advisor has hundreds overdue)."""
    today = local_today()
    mine = sa.select(FollowUp.id, FollowUp.lead_id, FollowUp.title, FollowUp.due_on,
                     FollowUp.due_time, FollowUp.remind_at).where(
        FollowUp.assignee_id == user.id, FollowUp.done_at.is_(None))
    rows = [*db.session.execute(mine.where(FollowUp.due_on < today)
                                .order_by(FollowUp.due_on, FollowUp.id).limit(shown)),
            *db.session.execute(mine.where(FollowUp.due_on == today)
                                .order_by(FollowUp.due_time, FollowUp.id).limit(shown))]
    visible = _on_visible_leads(user, rows)
    return {"overdue": [row for row in visible if row.due_on < today],
            "today": [row for row in visible if row.due_on == today]}


def overdue_count(user: Viewer) -> int:
    """How many of the user's open follow-ups are overdue, on leads they still see (at
    most MY_FOLLOWUPS_LIMIT, as /followups shows)."""
    return db.session.scalar(_due_count(user, FollowUp.due_on < local_today())) or 0


def due_counts(user: Viewer) -> tuple[int, int]:
    """How many are overdue, and how many due today (one statement)."""
    today = local_today()
    overdue, due_today = db.session.execute(sa.select(
        _due_count(user, FollowUp.due_on < today).scalar_subquery(),
        _due_count(user, FollowUp.due_on == today).scalar_subquery())).one()
    return overdue, due_today


def _due_count(user: Viewer, due: sa.ColumnElement[bool]) -> sa.Select:
    """Counts the user's open follow-ups that meet `due`, on leads they still see: the
    follow-ups' lead ids first (an array on PostgreSQL: joined, its planner scanned every
    lead of the municipality), then those leads by primary key."""
    lead_ids = sa.select(FollowUp.lead_id).where(
        FollowUp.assignee_id == user.id, FollowUp.done_at.is_(None),
        due).limit(MY_FOLLOWUPS_LIMIT)
    overdue: sa.FromClause
    if db.engine.dialect.name == "postgresql":
        overdue = sa.func.unnest(sa.func.array(lead_ids.scalar_subquery())).table_valued(
            "lead_id").render_derived(name="overdue")
    else:
        overdue = lead_ids.subquery()
    return (sa.select(sa.func.count()).select_from(overdue)
            .join(Lead, Lead.id == overdue.c.lead_id).where(scope.visible_filter(user, Lead)))
