"""Small per-process caches of values computed from the database.

A key names everything that decides the value (a data revision read cheaply from the
database, the user's scope class, the filter, the locale), so a change to the data shows
at once and nothing stale is served across processes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa

from app.extensions import db

# --- the speed tricks, each with a switch so that `make bench` can show what it gains -----

# Each per-process cache or short path, by name. `make bench` measures a page with one of
# them switched off for a request (the X-Bench-Tricks-Off header, honoured only under
# ETABLERA_BENCH: app/bench.py) beside the same page with all on, in the same rounds.
TRICKS = frozenset({
    "pristine_fields",  # app.forms.render_field: a pristine field's HTML once per process
    "statements",  # reused_statement: the lead list's, kanban's and match page's select built once
    "assignees",  # app.leads.followups.assignee_choices: kept by the users' revision
    "owner_filter",  # app.auth.service.advisor_options: kept by the users' revision
    "report_figures",  # app.reports.service.Report: kept by the database's snapshot
})
_switched_off: ContextVar[frozenset[str]] = ContextVar("tricks_off", default=frozenset())


def trick_on(name: str) -> bool:
    """Whether the speed trick `name` (TRICKS) is in use: always, but inside tricks_off."""
    return name not in _switched_off.get()


@contextmanager
def tricks_off(*names: str) -> Iterator[None]:
    """Inside: the named tricks are not used (their caches neither read nor filled), so
    the work they save is done each time. For measuring them and for tests."""
    unknown = set(names) - TRICKS
    if unknown:
        raise ValueError(f"unknown speed tricks: {sorted(unknown)}")
    token = _switched_off.set(_switched_off.get() | frozenset(names))
    try:
        yield
    finally:
        _switched_off.reset(token)


class ProcessCache:
    """The `size` most recently used values, by key. Safe under threads (the development
    server's): `compute` runs outside the lock, so two threads may both compute a value.
    `trick` names the cache in TRICKS: switched off, every get computes."""

    def __init__(self, size: int, trick: str | None = None) -> None:
        if trick is not None and trick not in TRICKS:
            raise ValueError(f"unknown speed trick: {trick}")
        self.size = size
        self.trick = trick
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        _ALL_CACHES.append(self)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self.trick is not None and not trick_on(self.trick):
            return compute()
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


_ALL_CACHES: list[ProcessCache] = []


def clear_process_caches() -> None:
    """Empty every ProcessCache, as in a new process. For tests: each test has a database
    of its own, where a revision (newest id, newest updated_at under a frozen clock) may
    repeat another test's with other rows behind it."""
    for cache in _ALL_CACHES:
        cache.clear()


# The tables whose rows are never deleted (users are deactivated, sites withdrawn), so that
# their newest id and updated_at tell every change (table_revision). Deleting one of their
# rows through the ORM is refused in every process (`_refuse_deleting`): a deletion would
# leave every process's cache keyed by that revision stale.
NEVER_DELETED = frozenset({"users", "sites"})


class RowsNeverDeleted(RuntimeError):
    """A row of a NEVER_DELETED table was about to be deleted."""


def table_revision(model: Any) -> tuple:
    """Changes whenever a row of `model` is added (its id) or saved (its updated_at, set on
    every change); two index look-ups, for tables whose rows are never deleted
    (NEVER_DELETED): counting the rows to notice a deletion would read them all."""
    if model.__tablename__ not in NEVER_DELETED:
        raise ValueError(f"{model.__tablename__} may lose rows: its revision misses that")
    return tuple(db.session.execute(sa.select(
        sa.select(sa.func.max(model.id)).scalar_subquery(),
        sa.select(sa.func.max(model.updated_at)).scalar_subquery())).one())


def database_snapshot() -> tuple[str, str] | None:
    """PostgreSQL: the database and the set of transactions the current statement sees
    (pg_current_snapshot): while it is the same, so is every committed row of every table,
    so a value computed from them may be kept by it. Any commit anywhere changes it. None
    on SQLite, where nothing as cheap tells every change."""
    if db.engine.dialect.name != "postgresql":
        return None
    return (str(db.engine.url.database),
            str(db.session.scalar(sa.select(sa.cast(sa.func.pg_current_snapshot(), sa.Text)))))


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _refuse_deleting(session: sa.orm.Session, _context: Any, _instances: Any) -> None:
    for instance in session.deleted:
        if getattr(instance, "__tablename__", None) in NEVER_DELETED:
            raise RowsNeverDeleted(f"rows of {instance.__tablename__} are never deleted")


@sa.event.listens_for(sa.orm.Session, "do_orm_execute")
def _refuse_deleting_in_bulk(state: sa.orm.ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)  # a DELETE statement has one
    if state.is_delete and table is not None and table.name in NEVER_DELETED:
        raise RowsNeverDeleted(f"rows of {table.name} are never deleted")


_STATEMENTS = ProcessCache(size=256, trick="statements")


def reused_statement(key: Hashable, build: Callable[[], Any]) -> Any:
    """A SQL statement built once per process for `key`, then executed again with each
    request's parameter values: building a large select, and SQLAlchemy's cache key of
    it, costs about a millisecond a request (the lead list, the kanban). `key` must name
    everything the statement embeds (scope.scope_key of the user, the filters, the
    dialect); what changes from request to request is a named bindparam."""
    return _STATEMENTS.get(key, build)
