"""The kanban board: each stage's newest visible leads as cards, in one statement.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from app import scope
from app.auth.models import User
from app.caching import reused_statement
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db
from app.leads.access import audience_key, shared_level_column
from app.leads.models import CLOSED_STAGES, OPEN_STAGES, Company, Lead, ShareLevel, Stage
from app.leads.queries import next_due_column, with_names
from app.viewer import Viewer

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
    land_min_m2: int | None  # what the company needs, shown on the card
    land_max_m2: int | None
    power_mw: float | None
    expected_jobs: int | None
    web_inquiry_new: bool  # a web or API inquiry nobody of its municipality has opened


def pipeline(user: Viewer) -> dict[Stage, dict[str, Any]]:
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


def _pipeline_statement(user: Viewer) -> sa.Select:
    """The cards' statement (built once per process for each scope, see `pipeline`)."""
    newest = _pipeline_leads(user)
    columns_of_card = {
        "id": newest.c.id, "codename": newest.c.codename, "version": newest.c.version,
        "stage": newest.c.stage, "confidential": newest.c.confidential,
        "municipality_id": newest.c.municipality_id, "company_name": Company.name,
        "municipality_name": Municipality.name, "owner_name": User.name,
        "next_due": next_due_column(newest.c.id),
        "shared": shared_level_column(user, newest.c.id, newest.c.municipality_id),
        "land_min_m2": newest.c.land_min_m2, "land_max_m2": newest.c.land_max_m2,
        "power_mw": newest.c.power_mw, "expected_jobs": newest.c.expected_jobs,
        "web_inquiry_new": newest.c.web_inquiry_new}
    return with_names(
        sa.select(*(columns_of_card[name].label(name) for name in Card._fields))
        .select_from(newest), newest.c,
    ).order_by(newest.c.stage_changed_at.desc(), newest.c.id.desc())


# What `pipeline` reads of a lead: ix_leads_pipeline carries all of it (INCLUDE), so
# PostgreSQL serves each column from the index alone, without visiting the table.
PIPELINE_LEAD_COLUMNS = ("id", "codename", "version", "stage", "confidential",
                         "municipality_id", "owner_id", "company_id", "stage_changed_at",
                         "land_min_m2", "land_max_m2", "power_mw", "expected_jobs",
                         "web_inquiry_new")


def _pipeline_leads(user: Viewer) -> sa.Subquery:
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
