"""How a request's transaction ends (app/transactions.py): COMMIT when it only read, so
psycopg keeps its prepared statements; the rollback whenever anything else happened."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import abort

from app.extensions import db
from app.leads.models import Lead
from app.transactions import transaction_only_read
from tests.leads_helpers import login, make_lead


@contextmanager
def transaction_ends():
    """Counts the commits and rollbacks of every connection while inside."""
    ends: Counter = Counter()

    def on_commit(_conn):
        ends["commit"] += 1

    def on_rollback(_conn):
        ends["rollback"] += 1

    sa.event.listen(db.engine, "commit", on_commit)
    sa.event.listen(db.engine, "rollback", on_rollback)
    try:
        yield ends
    finally:
        sa.event.remove(db.engine, "commit", on_commit)
        sa.event.remove(db.engine, "rollback", on_rollback)


@pytest.fixture
def lead(users):
    return make_lead(users["kumla"], "transactions")


def test_a_page_that_only_reads_ends_with_commit(client, lead):
    login(client, "kumla")
    with transaction_ends() as ends:
        for url in ("/leads", f"/leads/{lead.id}", "/pipeline", "/"):
            assert client.get(url).status_code == 200
    assert ends == Counter(commit=4)


def test_a_request_that_wrote_and_then_refused_is_rolled_back(app, client, lead):
    lead_id = lead.id

    def write_then_refuse():
        db.session.execute(sa.update(Lead).where(Lead.id == lead_id).values(sector="Half"))
        abort(409)

    def change_then_refuse():
        db.session.get(Lead, lead_id).sector = "Pending"  # not flushed
        abort(409)

    app.add_url_rule("/test/write-then-refuse", view_func=write_then_refuse)
    app.add_url_rule("/test/change-then-refuse", view_func=change_then_refuse)
    with transaction_ends() as ends:
        assert client.get("/test/write-then-refuse").status_code == 409
        assert client.get("/test/change-then-refuse").status_code == 409
    assert ends["commit"] == 0 and ends["rollback"] == 2
    assert db.session.get(Lead, lead_id).sector not in ("Half", "Pending")


def test_only_a_transaction_of_compiled_selects_counts_as_read_only(app, lead):
    db.session.rollback()
    assert not transaction_only_read()  # no transaction at all
    db.session.scalar(sa.select(Lead.codename).where(Lead.id == lead.id))
    assert transaction_only_read()
    db.session.execute(sa.text("SELECT 1"))  # text SQL could be anything
    assert not transaction_only_read()
    db.session.rollback()

    db.session.scalar(sa.select(Lead.codename).where(Lead.id == lead.id))
    db.session.get(Lead, lead.id).sector = "Pending, not flushed"
    assert not transaction_only_read()
    db.session.flush()  # an UPDATE was sent
    assert not transaction_only_read()
    db.session.rollback()
    assert db.session.get(Lead, lead.id).sector != "Pending, not flushed"
