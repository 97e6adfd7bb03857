"""The reports: which figures there are, in which section, and how each is computed for a
user, a lead selection and a period (`Report`). The page, the annual follow-up and the
downloads all ask a `Report` for its tables by key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from app.caching import ProcessCache, database_snapshot
from app.leads.models import Stage
from app.reports import inflow, land, outcome, pipeline
from app.reports.counted import LeadSelection
from app.reports.periods import Period
from app.reports.tables import Table, share
from app.scope import scope_key
from app.viewer import Viewer

# The figures of a report, by everything that decides them: the database's snapshot (any
# commit anywhere makes a new one), the user's scope (app.scope.scope_key: whose matters
# count), the selection, the period and the day. A report page, its downloads and the
# annual follow-up read the same figures; computed once, until the data changes.
# make bench "reports (100,000 leads)": see the commit that added it for the gain.
_FIGURES = ProcessCache(size=64, trick="report_figures")


@dataclass
class Report:
    """The figures of one user for a selection and a period, each computed once (and kept
    in _FIGURES while the database does not change, on PostgreSQL)."""

    user: Viewer
    selection: LeadSelection
    period: Period
    today: date
    _figures: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        snapshot = database_snapshot()
        if snapshot is None:
            self._figures = {}
        else:
            key = (snapshot, scope_key(self.user), self.selection, self.period, self.today)
            self._figures = _FIGURES.get(key, dict)

    def _once(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self._figures:
            self._figures[name] = compute()
        return self._figures[name]

    @property
    def names(self) -> dict[int, str]:
        wanted = self.selection.municipality_id
        return self._once("names", lambda: {
            k: v for k, v in inflow.municipality_names().items()
            if wanted is None or k == wanted})

    @property
    def in_stages(self) -> dict[Stage, pipeline.InStage]:
        return self._once("in_stages", lambda: pipeline.in_stages(
            self.user, self.selection, self.today))

    @property
    def sites(self) -> list[land.SiteGroup]:
        return self._once("sites", lambda: land.site_groups(
            self.user, self.selection.municipality_id))

    @property
    def received(self) -> inflow.Inflow:
        return self._once("received", lambda: inflow.inflow(
            self.user, self.selection, self.period))

    @property
    def month_counts(self) -> dict[tuple[int, int], int]:
        return self._once("month_counts", self.received.months)

    @property
    def won(self) -> list[outcome.Won]:
        return self._once("won", lambda: outcome.won(self.user, self.selection, self.period))

    @property
    def activity(self) -> outcome.Activity:
        return self._once("activity", lambda: outcome.activity(
            self.user, self.selection, self.period))

    def table(self, key: str) -> Table:
        return self._once(f"table {key}", lambda: BUILDERS[key](self))

    def section(self, keys: tuple[str, ...]) -> list[Table]:
        return [self.table(key) for key in keys]


BUILDERS: dict[str, Callable[[Report], Table]] = {
    "stages": lambda r: pipeline.stages_now(r.in_stages),
    "time_in_stage": lambda r: pipeline.time_in_stage(r.in_stages),
    "funnel": lambda r: pipeline.funnel(r.user, r.selection, r.period),
    "inflow_month": lambda r: inflow.by_month(r.month_counts, r.period),
    "inflow_quarter": lambda r: inflow.by_quarter(r.month_counts, r.period),
    "inflow_source": lambda r: inflow.by_source(r.received),
    "inflow_sector": lambda r: inflow.by_sector(r.received),
    "inflow_municipality": lambda r: inflow.by_municipality(r.received, r.names),
    "answered": lambda r: inflow.answered(r.received, r.names),
    "won": lambda r: outcome.won_table(r.won, inflow.municipality_names()),
    "lost": lambda r: outcome.lost(r.user, r.selection, r.period),
    "activity": lambda r: outcome.activity_table(r.activity),
    "key_figures": lambda r: outcome.key_figures_table(
        outcome.decision_days(r.user, r.selection, r.period), r.activity),
    "land_readiness": lambda r: land.by_readiness(r.sites, r.names),
    "land_detaljplan": lambda r: land.by_detaljplan(r.sites, r.names),
    "land_rail": lambda r: land.by_rail(r.sites, r.names),
    "completeness": lambda r: land.completeness(r.sites, r.names),
}

# (section key, heading, help, table keys) of the reports page.
SECTIONS: tuple[tuple[str, Any, Any, tuple[str, ...]], ...] = (
    ("pipeline", _l("Pipeline now"),
     _l("Every matter counted now, whatever the period; the funnel counts the matters "
        "received in the period."),
     ("stages", "time_in_stage", "funnel")),
    ("inflow", _l("Inflow"), _l("The matters received in the period."),
     ("inflow_month", "inflow_quarter", "inflow_source", "inflow_sector",
      "inflow_municipality", "answered")),
    ("outcome", _l("Outcome"), _l("What the matters led to in the period."),
     ("won", "lost", "key_figures", "activity")),
    ("land", _l("Land"), _l("The sites offered now, whatever the period."),
     ("land_readiness", "land_detaljplan", "land_rail", "completeness")),
)

ANNUAL_TABLES = ("won", "key_figures", "inflow_quarter", "inflow_source",
                 "inflow_municipality", "answered", "funnel", "lost", "activity",
                 "land_readiness", "completeness")


@dataclass(frozen=True)
class Summary:
    """The annual follow-up's numbers for its generated summary."""

    year: int
    established: int
    jobs: int
    investment_msek: float
    land_ha: float
    received: int
    answered_in_time_percent: float | None
    lost: int


def summary(report: Report, year: int) -> Summary:
    total = outcome.total_won(report.won)
    answered = report.table("answered")
    received = sum(report.month_counts.values())
    in_time = sum(row[2] for row in answered.rows[:-1]) if answered.rows else 0
    lost = sum(row[1] for row in report.table("lost").rows)
    return Summary(year, total.matters, total.jobs, total.investment_msek,
                   total.land_m2 / 10_000, received, share(in_time, received), lost)
