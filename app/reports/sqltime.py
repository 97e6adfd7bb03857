"""Dates and times in SQL the same way on SQLite and PostgreSQL, and medians of grouped
values.

A moment column is grouped by its UTC hour (`utc_hour`); Python turns each hour into the
local date (periods.local_date_of_utc_hour), which is exact since the zone's offset
changes on whole UTC hours. So a figure by local day or year reads grouped rows, never
one row per lead.

PostgreSQL finds a median itself (`middle_values`: the two middle values of a group,
whose mean is the median); SQLite has no such aggregate, so there the values are grouped
and `weighted_median` finds it in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import Grouping

from app.db_types import UTCDateTime
from app.extensions import db


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def finds_medians() -> bool:
    """Whether the database computes `middle_values` (PostgreSQL)."""
    return _dialect() == "postgresql"


def middle_values(column: Any) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """PostgreSQL: the lower and the upper middle value of `column` in the group (the
    same value when the group's size is odd); the median is their mean."""
    return (sa.func.percentile_disc(0.5).within_group(column),
            sa.func.percentile_disc(0.5).within_group(column.desc()))


def utc_hour(column: Any) -> sa.ColumnElement[str]:
    """The moment's UTC hour as text, "YYYY-MM-DD HH"."""
    if _dialect() == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return sa.func.strftime("%Y-%m-%d %H", column)


def days_between(later: Any, earlier: Any) -> sa.ColumnElement[int]:
    """Whole days from the date `earlier` to the date `later`."""
    if _dialect() == "postgresql":
        return sa.cast(later - earlier, sa.Integer)
    return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)


def year_month(column: Any) -> tuple[sa.ColumnElement[int], sa.ColumnElement[int]]:
    """The year and month of a date column, as integers."""
    return (sa.cast(sa.extract("year", column), sa.Integer),
            sa.cast(sa.extract("month", column), sa.Integer))


def weighted_median(counts: Iterable[tuple[float, int]]) -> float | None:
    """The median of values given as (value, how many times); None when there are none.
    With an even count, the mean of the two middle values."""
    pairs = sorted((value, count) for value, count in counts if count)
    total = sum(count for _value, count in pairs)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle positions (0-based)
    found: list[float] = []
    seen = 0
    for value, count in pairs:
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(value)
        seen += count
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def moment_on(moments: dict[date, datetime], column: Any) -> sa.ColumnElement[datetime]:
    """SQL: the moment `moments` gives for the date in `column` (`moments` covers every
    day from its first on, in order). PostgreSQL receives the moments as one array,
    indexed by the day's distance from the first (a CASE of a year's 365 dates cost
    more to send and match than the rest of the query); SQLite as a CASE."""
    first = next(iter(moments))
    if _dialect() == "postgresql":
        listed = Grouping(sa.literal(list(moments.values()), ARRAY(UTCDateTime())))
        return listed[days_between(column, sa.literal(first, sa.Date())) + 1]
    return sa.case({day: sa.literal(moment, UTCDateTime()) for day, moment in moments.items()},
                   value=column)


def grouped(statement: sa.Select) -> list[tuple[Any, ...]]:
    """A grouped statement's rows as plain tuples (a dict of two-column rows, say)."""
    return [tuple(row) for row in db.session.execute(statement)]
