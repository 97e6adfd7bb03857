"""The number of SQL statements per request does not grow with the number of rows."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.clock import local_today
from app.extensions import db
from app.leads.models import Activity, ActivityKind, FollowUp, LeadShare, ShareLevel
from tests.factories import municipality
from tests.leads_helpers import bearer, login, make_lead


@contextmanager
def counted():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def populate(users, n: int) -> int:
    """n leads of Kumla and n of Arboga shared with Kumla, each with activities and
    follow-ups; returns the id of one Kumla lead with n activities."""
    hallsberg = municipality("hallsberg").id
    first = None
    for i in range(n):
        for owner, shared in (("kumla", False), ("arboga", True)):
            lead = make_lead(users[owner], f"{owner}-{n}-{i}")
            first = first or lead.id
            if shared:
                db.session.add(LeadShare(lead_id=lead.id, municipality_id=municipality("kumla").id,
                                         level=ShareLevel.FULL if i % 2 else ShareLevel.ANONYMISED))
            else:
                db.session.add(LeadShare(lead_id=lead.id, municipality_id=hallsberg,
                                         level=ShareLevel.FULL))
            db.session.add(FollowUp(lead_id=lead.id, title="f", assignee_id=users["kumla"].id,
                                    due_on=local_today() - timedelta(days=i % 3)))
    for _ in range(n):
        db.session.add(Activity(lead_id=first, kind=ActivityKind.CALL, body="x",
                                author_id=users["kumla"].id))
        db.session.add(FollowUp(lead_id=first, title="g", assignee_id=users["kumla"].id,
                                due_on=local_today()))
    db.session.commit()
    return first


URLS = ["/leads", "/leads?q=Projekt&sort=company", "/pipeline", "/followups", "/leads/{id}",
        "/leads/export.csv", "/", "/api/v1/leads", "/api/v1/leads/{id}"]


def statements_per_url(client, users, tokens, n) -> dict[str, int]:
    lead_id = populate(users, n)
    counts = {}
    for url in URLS:
        target = url.format(id=lead_id)
        headers = bearer(tokens["kumla"]) if url.startswith("/api/") else {}
        client.get(target, headers=headers)  # fills per-process caches (the site counts)
        with counted() as statements:
            response = client.get(target, headers=headers)
        assert response.status_code == 200, target
        counts[url] = len(statements)
    return counts


@pytest.fixture
def logged_in(client, users):
    login(client, "kumla")
    return client


def test_statement_counts_do_not_grow_with_rows(app, logged_in, users, tokens, test_databases):
    few = statements_per_url(logged_in, users, tokens, 3)
    db.session.execute(db.text("DELETE FROM follow_ups"))
    db.session.execute(db.text("DELETE FROM activities"))
    db.session.execute(db.text("DELETE FROM lead_shares"))
    db.session.execute(db.text("DELETE FROM leads"))
    db.session.execute(db.text("DELETE FROM companies"))
    db.session.commit()
    many = statements_per_url(logged_in, users, tokens, 30)
    assert many == few
    assert max(few.values()) <= 15, few
