"""Small per-process caches of values computed from the database.

A key names everything that decides the value (a data revision read cheaply from the
database, the user's scope class, the filter, the locale), so a change to the data shows
at once and nothing stale is served across processes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa

from app.extensions import db


class ProcessCache:
    """The `size` most recently used values, by key. Safe under threads (the development
    server's): `compute` runs outside the lock, so two threads may both compute a value."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        _ALL_CACHES.append(self)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
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


def table_revision(model: Any) -> tuple:
    """Changes whenever a row of `model` is added (its id) or saved (its updated_at, set on
    every change); two index look-ups, for tables whose rows are never deleted (users are
    deactivated, sites withdrawn): counting the rows to notice a deletion would read them
    all."""
    return tuple(db.session.execute(sa.select(
        sa.select(sa.func.max(model.id)).scalar_subquery(),
        sa.select(sa.func.max(model.updated_at)).scalar_subquery())).one())


_STATEMENTS = ProcessCache(size=256)


def reused_statement(key: Hashable, build: Callable[[], Any]) -> Any:
    """A SQL statement built once per process for `key`, then executed again with each
    request's parameter values: building a large select, and SQLAlchemy's cache key of
    it, costs about a millisecond a request (the lead list, the kanban). `key` must name
    everything the statement embeds (scope.scope_key of the user, the filters, the
    dialect); what changes from request to request is a named bindparam."""
    return _STATEMENTS.get(key, build)
