"""Pipeline figures: matters per skede now, time in the current skede, and the funnel of
the matters received in a period with the conversion from each skede to the next.

Definitions (also in the page's help and the README):
- time in skede: days from the lead's last change of skede (`stage_changed_at`, its local
  date) to today, for the open matters; "stale" above STALE_DAYS days;
- the funnel: of the matters received in the period, how many reached each skede of the
  process (new → … → established), a matter counting as having reached every skede up
  to the furthest it has been in: its current skede or any skede a change of skede
  (activity `stage_change`) took it to. Lost and on hold are not steps of the funnel;
  a lost matter counts up to the furthest skede it had reached before. Conversion is
  the share of those reaching a skede that reached the next one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.leads.labels import STAGE_LABELS
from app.leads.models import OPEN_STAGES, Activity, ActivityKind, Lead, Stage
from app.reports.counted import LeadSelection
from app.reports.periods import Period, local_date, local_date_of_utc_hour, local_midnight
from app.reports.sqltime import finds_medians, grouped, middle_values, utc_hour, weighted_median
from app.reports.tables import PERCENT, Column, Table, share
from app.viewer import Viewer

STALE_DAYS = 60
FORWARD = (Stage.NEW, Stage.QUALIFIED, Stage.SITES_PROPOSED, Stage.SITE_VISIT,
           Stage.NEGOTIATION, Stage.WON)


@dataclass(frozen=True)
class InStage:
    """The counted matters in one skede now: how many, the median days since their last
    change of skede, and how many of them changed it over STALE_DAYS days ago."""

    matters: int
    median_days: float | None
    stale: int


def in_stages(user: Viewer, selection: LeadSelection, today: date) -> dict[Stage, InStage]:
    """Every skede's matters now, in one grouped statement. A matter's days in its skede
    are today minus the local date of `stage_changed_at`; stale when over STALE_DAYS,
    i.e. changed before local midnight STALE_DAYS days ago."""
    stale_before = local_midnight(today - timedelta(days=STALE_DAYS))
    criteria = selection.criteria(user)
    found: dict[Stage, InStage] = {}
    if finds_medians():
        lower, upper = middle_values(Lead.stage_changed_at)
        rows = db.session.execute(
            sa.select(Lead.stage, sa.func.count(),
                      sa.func.count().filter(Lead.stage_changed_at < stale_before),
                      lower, upper)
            .where(*criteria).group_by(Lead.stage))
        for stage, matters, stale, earlier, later in rows:
            days = ((today - local_date(earlier)).days + (today - local_date(later)).days) / 2
            found[stage] = InStage(matters, days, stale)
        return found
    hour = utc_hour(Lead.stage_changed_at)
    days_by_stage: dict[Stage, list[tuple[float, int]]] = defaultdict(list)
    for stage, changed_hour, count in db.session.execute(
            sa.select(Lead.stage, hour, sa.func.count()).where(*criteria)
            .group_by(Lead.stage, hour)):
        days_by_stage[stage].append(((today - local_date_of_utc_hour(changed_hour)).days,
                                     count))
    for stage, values in days_by_stage.items():
        found[stage] = InStage(sum(n for _d, n in values), weighted_median(values),
                               sum(n for d, n in values if d > STALE_DAYS))
    return found


def stages_now(in_stage: dict[Stage, InStage]) -> Table:
    return Table("stages", _l("Matters per skede now"),
                 (Column(_l("Stage")), Column(_l("Matters"), "")),
                 [(STAGE_LABELS[stage], in_stage[stage].matters if stage in in_stage else 0)
                  for stage in Stage])


def time_in_stage(in_stage: dict[Stage, InStage]) -> Table:
    """The open matters per skede with the median days in it and how many are stale."""
    table = Table("time_in_stage", _l("Time in the current skede"),
                  (Column(_l("Stage")), Column(_l("Open matters"), ""),
                   Column(_l("Median days in the skede"), ""),
                   Column(_l("Stale (over %(days)d days)", days=STALE_DAYS), "")),
                  chart_column=2,
                  note=_l("Days since the matter's last change of skede; stale: over "
                          "%(days)d days.", days=STALE_DAYS))
    for stage in OPEN_STAGES:
        figures = in_stage.get(stage, InStage(0, None, 0))
        table.rows.append((STAGE_LABELS[stage], figures.matters, figures.median_days,
                           figures.stale))
    return table


def _rank(column: Any) -> sa.ColumnElement[int]:
    return sa.case({stage: rank for rank, stage in enumerate(FORWARD)}, value=column,
                   else_=0)


def furthest_counts(user: Viewer, selection: LeadSelection, period: Period) -> dict[int, int]:
    """How many of the period's received matters got furthest to each FORWARD rank: the
    period's leads, joined to their changes of skede grouped per lead (one pass over the
    changes, not a look-up per lead)."""
    received = (sa.select(Lead.id.label("id"), _rank(Lead.stage).label("current"))
                .where(*selection.criteria(user),
                       Lead.received_on.between(period.start, period.end))
                .cte("received"))
    changes = (sa.select(Activity.lead_id.label("lead_id"),
                         sa.func.max(_rank(Activity.to_stage)).label("changed"))
               .join(received, received.c.id == Activity.lead_id)
               .where(Activity.kind == ActivityKind.STAGE_CHANGE)
               .group_by(Activity.lead_id).subquery())
    current, changed = received.c.current, sa.func.coalesce(changes.c.changed, 0)
    furthest = sa.case((current >= changed, current), else_=changed).label("furthest")
    return dict(grouped(
        sa.select(furthest, sa.func.count())
        .select_from(received.outerjoin(changes, changes.c.lead_id == received.c.id))
        .group_by(furthest)))


def funnel(user: Viewer, selection: LeadSelection, period: Period) -> Table:
    counts = furthest_counts(user, selection, period)
    reached = [sum(n for rank, n in counts.items() if rank >= index)
               for index in range(len(FORWARD))]
    table = Table("funnel", _l("Funnel and conversion of the matters received"),
                  (Column(_l("Stage")), Column(_l("Matters that reached the skede"), ""),
                   Column(_l("Went on to the next skede"), PERCENT)),
                  note=_l("Of the matters received in the period, how many reached each "
                          "skede (the furthest skede a matter has been in counts, and "
                          "every skede before it), and the share of them that went on to "
                          "the next skede."))
    for index, stage in enumerate(FORWARD):
        onward = share(reached[index + 1], reached[index]) if index + 1 < len(FORWARD) else None
        table.rows.append((STAGE_LABELS[stage], reached[index], onward))
    return table
