"""Inflow figures: the matters received in the period (by `received_on`) per month and
quarter, by source, sector and owning municipality, and the share answered within two
working days.

"Answered" is the lead's first answer as the product records it (`Lead.first_answered_at`,
app.leads.inquiries.record_first_answer): the first timeline entry or change of skede by
an advisor of the owning municipality, the same moment the intake's reminder of an
unanswered inquiry reads. The received date carries no time of day, so the answer is
due by the end of the second working day after it: the deadline of a received date D is
app.workdays.working_days_later(00:00 of the day after D, 2). The deadline depends on
the date alone, so it is computed in Python once per date of the period and handed to
the database as the deadline of each `received_on` (sqltime.moment_on); the database
counts the leads answered by their deadline, grouped by municipality. No request reads
a row per lead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.models import Municipality
from app.extensions import db
from app.leads.labels import SOURCE_LABELS
from app.leads.models import Lead, Source
from app.reports.counted import LeadSelection
from app.reports.periods import Period, local_midnight
from app.reports.sqltime import grouped, moment_on, year_month
from app.reports.tables import PERCENT, Column, Table, share
from app.viewer import Viewer
from app.workdays import ANSWER_WORKING_DAYS, working_days_later


def _received(user: Viewer, selection: LeadSelection, period: Period) -> list:
    return [*selection.criteria(user), Lead.received_on.between(period.start, period.end)]


class Received(NamedTuple):
    """One group of the period's received matters and how many of them were answered,
    and answered by their deadline."""

    year: int
    month: int
    source: Source
    sector: str | None
    municipality_id: int
    matters: int
    answered: int
    in_time: int


@dataclass(frozen=True)
class Inflow:
    """The period's received matters counted once in SQL by month, source, sector and
    owning municipality together (a few hundred groups), with their answers; each table
    sums them up."""

    groups: list[Received]

    def count_by(self, field: str) -> Counter:
        found: Counter = Counter()
        for group in self.groups:
            found[getattr(group, field)] += group.matters
        return found

    def months(self) -> dict[tuple[int, int], int]:
        found: Counter = Counter()
        for group in self.groups:
            found[(group.year, group.month)] += group.matters
        return found

    def answers(self) -> dict[int, tuple[int, int, int]]:
        """Per owning municipality: (received, answered, answered in time)."""
        found: dict[int, tuple[int, int, int]] = {}
        for group in self.groups:
            received, answered, in_time = found.get(group.municipality_id, (0, 0, 0))
            found[group.municipality_id] = (received + group.matters,
                                            answered + group.answered, in_time + group.in_time)
        return found


def inflow(user: Viewer, selection: LeadSelection, period: Period) -> Inflow:
    year, month = year_month(Lead.received_on)
    columns = (year, month, Lead.source, Lead.sector, Lead.municipality_id)
    due = moment_on(_deadlines(period), Lead.received_on)
    return Inflow([Received(*row) for row in db.session.execute(
        sa.select(*columns, sa.func.count(), sa.func.count(Lead.first_answered_at),
                  sa.func.count().filter(Lead.first_answered_at <= due))
        .where(*_received(user, selection, period)).group_by(*columns))])


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
    counts = counted.count_by("source")
    return Table("inflow_source", _l("Matters received by source"),
                 (Column(_l("Source")), Column(_l("Matters"), "")),
                 [(SOURCE_LABELS[source], counts.get(source, 0)) for source in Source])


def by_sector(counted: Inflow) -> Table:
    counts = counted.count_by("sector")
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return Table("inflow_sector", _l("Matters received by sector"),
                 (Column(_l("Sector")), Column(_l("Matters"), "")),
                 [(sector or _l("Not stated"), n) for sector, n in ordered])


def _deadlines(period: Period) -> dict:
    """The answer deadline (aware UTC) of each received date of the period."""
    return {day: working_days_later(local_midnight(day + timedelta(days=1)),
                                    ANSWER_WORKING_DAYS) for day in period.days()}


def answered(counted: Inflow, names: dict[int, str]) -> Table:
    """Per owning municipality: received, answered within 2 working days, later, not yet."""
    table = Table("answered", _l("Answered within 2 working days"),
                  (Column(_l("Municipality")), Column(_l("Matters received"), ""),
                   Column(_l("Answered within 2 working days"), ""),
                   Column(_l("Answered later"), ""), Column(_l("Not answered"), ""),
                   Column(_l("Share answered in time"), PERCENT)),
                  chart_column=5,
                  note=_l("Answered: the first timeline entry or change of skede by an "
                          "advisor of the owning municipality. Due by the end of the second "
                          "working day after the day it was received (Swedish public "
                          "holidays and days off excluded)."))
    totals = [0, 0, 0]
    counts = counted.answers()
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
    counts = counted.count_by("municipality_id")
    return Table("inflow_municipality", _l("Matters received by owning municipality"),
                 (Column(_l("Municipality")), Column(_l("Matters"), "")),
                 [(name, counts.get(ident, 0)) for ident, name in names.items()])


def municipality_names() -> dict[int, str]:
    """Every municipality's name by id, in name order (reference data: four rows)."""
    return dict(grouped(
        sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)))


