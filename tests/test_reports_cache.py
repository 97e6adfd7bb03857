"""The report's figures are kept while the database does not change (app.reports.service,
the speed trick `report_figures`, PostgreSQL only): the same figures again cost no query,
any commit shows at once, and no figure crosses from one scope of users to another."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.caching import tricks_off
from app.extensions import db
from app.leads.models import Lead, Stage
from app.reports.counted import LeadSelection
from app.reports.periods import Period
from app.reports.service import BUILDERS, Report
from tests import reports_world
from tests.reports_world import TODAY


@pytest.fixture
def world(app, users):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("figures are kept by PostgreSQL's snapshot only")
    with app.test_request_context(), force_locale("en"):
        yield reports_world.build(users)


@contextmanager
def statements():
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)


def every_figure(user) -> dict[str, list]:
    report = Report(user, LeadSelection(), Period.year(2026), TODAY)
    return {key: [tuple(map(str, row)) for row in report.table(key).rows] for key in BUILDERS}


def test_the_same_figures_again_cost_one_look_at_the_snapshot(world, users):
    # One snapshot for both: other tests' databases on the same server commit meanwhile,
    # and any commit on the server starts a new snapshot (which would only recompute).
    db.session.commit()
    db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    first = every_figure(users["hallsberg"])
    with statements() as seen:
        again = every_figure(users["hallsberg"])
    db.session.rollback()
    assert again == first
    assert len(seen) == 1 and "pg_current_snapshot" in seen[0]


def test_a_commit_shows_at_once(world, users):
    before = every_figure(users["hallsberg"])
    db.session.execute(sa.update(Lead).where(Lead.id == world["H5"].id)
                       .values(stage=Stage.NEGOTIATION))
    db.session.commit()
    after = every_figure(users["hallsberg"])
    assert dict(before["stages"])["Needs analysis"] == "1"
    assert dict(after["stages"])["Needs analysis"] == "0"
    assert dict(after["stages"])["Negotiation"] == "1"
    with tricks_off("report_figures"):
        assert every_figure(users["hallsberg"]) == after


def test_each_scope_has_figures_of_its_own(world, users):
    hallsberg = every_figure(users["hallsberg"])
    arboga = every_figure(users["arboga"])
    assert hallsberg["won"] != arboga["won"]
    with tricks_off("report_figures"):
        assert every_figure(users["hallsberg"]) == hallsberg
        assert every_figure(users["arboga"]) == arboga


def test_switched_off_every_figure_is_computed_again(world, users):
    every_figure(users["hallsberg"])
    with tricks_off("report_figures"), statements() as seen:
        every_figure(users["hallsberg"])
    assert len(seen) > 5
