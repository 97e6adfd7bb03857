"""`make bench`: compose the weekly digests of 1,000 users over the benchmark data,
as `flask digest send --dry-run` would, and render each message (no SMTP).

Reports the time and the number of SQL queries; the count must not depend on
how many leads a user has, so it is also measured for the single user with the
most leads and for one with none.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from app.auth.models import User
from app.extensions import db
from bench.generate import DIGEST_RECIPIENTS

TARGET_SECONDS = 30.0


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(db.engine, "before_cursor_execute", self)


def _compose(user_ids: list[int], context: Any) -> tuple[float, int, int, int]:
    """(seconds, queries, digests with something to report, lines) for loading the
    users, composing and rendering their digests."""
    from app.digest.service import compose_digests, digest_message

    db.session.expire_all()
    started = time.perf_counter()
    with QueryCounter() as counter:
        users = list(db.session.scalars(sa.select(User).where(User.id.in_(user_ids))).unique())
        digests = compose_digests(users, context)
        non_empty = [digest for digest in digests.values() if not digest.is_empty]
        for digest in non_empty:
            digest_message(digest)
    lines = sum(len(items) for digest in non_empty for _section, items in digest.sections)
    return time.perf_counter() - started, counter.count, len(non_empty), lines


def measure_digests() -> dict[str, Any]:
    """Run in an app context on the benchmark database."""
    from app.clock import utcnow
    from app.digest.service import digest_context
    from app.digest.weeks import IsoWeek
    from app.leads.models import Lead

    now = utcnow()
    context = digest_context(IsoWeek.of(now), now)
    users = list(db.session.scalars(
        sa.select(User).where(User.active.is_(True)).order_by(User.id).limit(DIGEST_RECIPIENTS)))
    seconds, queries, non_empty, lines = _compose([user.id for user in users], context)
    owners = dict(db.session.execute(
        sa.select(Lead.owner_id, sa.func.count()).group_by(Lead.owner_id)).all())
    busiest = max(users, key=lambda user: owners.get(user.id, 0))
    idle = next(user for user in users if owners.get(user.id, 0) == 0
                and user.role == busiest.role and user.municipality_id == busiest.municipality_id)
    _s, busiest_queries, _n, _l = _compose([busiest.id], context)
    _s, idle_queries, _n, _l = _compose([idle.id], context)
    return {
        "name": "digests: compose 1,000 users",
        "users": len(users),
        "seconds": round(seconds, 2),
        "queries": queries,
        "digests_with_content": non_empty,
        "lines": lines,
        "queries_user_with_most_leads": busiest_queries,
        "leads_of_that_user": owners.get(busiest.id, 0),
        "queries_user_without_leads": idle_queries,
        "target_seconds": TARGET_SECONDS,
        "within_target": seconds <= TARGET_SECONDS,
    }


def describe(result: dict[str, Any]) -> str:
    flag = "" if result["within_target"] else "  OVER"
    return (f"{result['name']}: {result['seconds']:.1f} s (target ≤ {result['target_seconds']:g} s), "
            f"{result['queries']} queries, {result['digests_with_content']} with content, "
            f"{result['lines']} lines; queries for one user: {result['queries_user_with_most_leads']} "
            f"with {result['leads_of_that_user']} leads, {result['queries_user_without_leads']} "
            f"with none{flag}")
