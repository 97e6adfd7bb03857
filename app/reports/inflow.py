"""Inflow figures: the matters received in the period (by `received_on`) per month and
quarter, by source, sector and owning municipality, and the share answered within two
working days.

"Answered" is the first activity a user recorded on the matter (any kind but those the
product writes itself, app.leads.models.SYSTEM_ACTIVITY_KINDS). The received date carries
no time of day, so the answer is due by the end of the second working day after it: the
deadline of a received date D is app.workdays.working_days_later(00:00 of the day after
D, 2), i.e. `answered_in_time(local midnight after D, first answer)`. The deadline depends
on the date alone, so it is computed in Python once per date of the period and handed to
the database as a CASE on `received_on`; the database finds each lead's first answer (a
correlated MIN over the activities' (lead_id, at) index) and counts the leads answered by
their deadline, grouped by municipality. No request reads a row per lead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.models import Municipality
from app.db_types import UTCDateTime
from app.extensions import db
from app.leads.labels import SOURCE_LABELS
from app.leads.models import SYSTEM_ACTIVITY_KINDS, Activity, Lead, Source
from app.reports.counted import LeadSelection
from app.reports.periods import Period, local_midnight
from app.reports.sqltime import grouped, year_month
from app.reports.tables import PERCENT, Column, Table, share
from app.viewer import Viewer
from app.workdays import ANSWER_WORKING_DAYS, working_days_later


def _received(user: Viewer, selection: LeadSelection, period: Period) -> list:
    return [*selection.criteria(user), Lead.received_on.between(period.start, period.end)]


@dataclass(frozen=True)
class Inflow:
    """The period's received matters counted once in SQL by month, source, sector and
    owning municipality together (a few hundred groups); each table sums them up."""

    groups: list[tuple[int, int, Source, str | None, int, int]]

    def count_by(self, index: int) -> Counter:
        found: Counter = Counter()
        for row in self.groups:
            found[row[index]] += row[5]
        return found

    def months(self) -> dict[tuple[int, int], int]:
        found: Counter = Counter()
        for year, month, *_rest, count in self.groups:
            found[(year, month)] += count
        return found


def inflow(user: Viewer, selection: LeadSelection, period: Period) -> Inflow:
    year, month = year_month(Lead.received_on)
    columns = (year, month, Lead.source, Lead.sector, Lead.municipality_id)
    return Inflow([tuple(row) for row in db.session.execute(  # type: ignore[misc]
        sa.select(*columns, sa.func.count()).where(*_received(user, selection, period))
        .group_by(*columns))])


def by_month(counts: dict[tuple[int, int], int], period: Period) -> Table:
    return Table("inflow_month", _l("Matters received per month"),
                 (Column(_l("Month")), Column(_l("Matters"), "")),
                 [(f"{y}-{m:02d}", counts.get((y, m), 0)) for y, m in period.months()])


def by_quarter(counts: dict[tuple[int, int], int], period: Period) -> Table:
    quarters: dict[tuple[int, int], int] = {}
    for y, m in period.months():
        key = (y, (m - 1) // 3 + 1)
        quarters[key] = quarters.get(key, 0) + counts.get((y, m), 0)
    return Table("inflow_quarter", _l("Matters received per quarter"),
                 (Column(_l("Quarter")), Column(_l("Matters"), "")),
                 [(f"{y} Q{q}", n) for (y, q), n in quarters.items()])


def by_source(counted: Inflow) -> Table:
    counts = counted.count_by(2)
    return Table("inflow_source", _l("Matters received by source"),
                 (Column(_l("Source")), Column(_l("Matters"), "")),
                 [(SOURCE_LABELS[source], counts.get(source, 0)) for source in Source])


def by_sector(counted: Inflow) -> Table:
    counts = counted.count_by(3)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return Table("inflow_sector", _l("Matters received by sector"),
                 (Column(_l("Sector")), Column(_l("Matters"), "")),
                 [(sector or _l("Not stated"), n) for sector, n in ordered])


def _deadlines(period: Period) -> dict:
    """The answer deadline (aware UTC) of each received date of the period."""
    return {day: working_days_later(local_midnight(day + timedelta(days=1)),
                                    ANSWER_WORKING_DAYS) for day in period.days()}


def first_answer() -> sa.ScalarSelect[datetime]:
    """SQL: the enclosing query's lead's first activity recorded by a user."""
    return (sa.select(sa.func.min(Activity.at))
            .where(Activity.lead_id == Lead.id, Activity.kind.not_in(SYSTEM_ACTIVITY_KINDS))
            .scalar_subquery())


def answered(user: Viewer, selection: LeadSelection, period: Period,
             names: dict[int, str]) -> Table:
    """Per owning municipality: received, answered within 2 working days, later, not yet."""
    deadlines = _deadlines(period)
    due = sa.case({day: sa.literal(moment, UTCDateTime()) for day, moment in deadlines.items()},
                  value=Lead.received_on)
    answer = first_answer().label("answer")
    per_lead = (sa.select(Lead.municipality_id, answer, due.label("due"))
                .where(*_received(user, selection, period)).subquery())
    rows = db.session.execute(
        sa.select(per_lead.c.municipality_id, sa.func.count(),
                  sa.func.count(per_lead.c.answer),
                  sa.func.count().filter(per_lead.c.answer <= per_lead.c.due))
        .group_by(per_lead.c.municipality_id))
    table = Table("answered", _l("Answered within 2 working days"),
                  (Column(_l("Municipality")), Column(_l("Matters received"), ""),
                   Column(_l("Answered within 2 working days"), ""),
                   Column(_l("Answered later"), ""), Column(_l("Not answered"), ""),
                   Column(_l("Share answered in time"), PERCENT)),
                  chart_column=5,
                  note=_l("Answered: the first activity a user recorded on the matter. Due "
                          "by the end of the second working day after the day it was "
                          "received (Swedish public holidays and days off excluded)."))
    totals = [0, 0, 0]
    counts: dict[int, tuple[int, int, int]] = {}
    for municipality_id, received, answered_any, in_time in rows:
        counts[municipality_id] = (received, answered_any, in_time)
    for municipality_id, name in names.items():
        if municipality_id not in counts:
            continue
        received, answered_any, in_time = counts[municipality_id]
        totals = [totals[0] + received, totals[1] + answered_any, totals[2] + in_time]
        table.rows.append((name, received, in_time, answered_any - in_time,
                           received - answered_any, share(in_time, received)))
    if table.rows:
        received, answered_any, in_time = totals
        table.rows.append((_l("All"), received, in_time, answered_any - in_time,
                           received - answered_any, share(in_time, received)))
    return table


def by_municipality(counted: Inflow, names: dict[int, str]) -> Table:
    counts = counted.count_by(4)
    return Table("inflow_municipality", _l("Matters received by owning municipality"),
                 (Column(_l("Municipality")), Column(_l("Matters"), "")),
                 [(name, counts.get(ident, 0)) for ident, name in names.items()])


def municipality_names() -> dict[int, str]:
    """Every municipality's name by id, in name order (reference data: four rows)."""
    return dict(grouped(
        sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)))


