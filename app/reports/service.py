"""The reports: which figures there are, in which section, and how each is computed for a
user, a lead selection and a period (`Report`). The page, the annual follow-up and the
downloads all ask a `Report` for its tables by key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from flask_babel import lazy_gettext as _l

from app.leads.models import Stage
from app.reports import inflow, land, outcome, pipeline
from app.reports.counted import LeadSelection
from app.reports.periods import Period
from app.reports.tables import Table, share
from app.viewer import Viewer


@dataclass
class Report:
    """The figures of one user for a selection and a period, each computed once."""

    user: Viewer
    selection: LeadSelection
    period: Period
    today: date
    _tables: dict[str, Table] = field(default_factory=dict)

    @cached_property
    def names(self) -> dict[int, str]:
        names = inflow.municipality_names()
        wanted = self.selection.municipality_id
        return {k: v for k, v in names.items() if wanted is None or k == wanted}

    @cached_property
    def in_stages(self) -> dict[Stage, pipeline.InStage]:
        return pipeline.in_stages(self.user, self.selection, self.today)

    @cached_property
    def sites(self) -> list[land.SiteGroup]:
        return land.site_groups(self.user, self.selection.municipality_id)

    @cached_property
    def received(self) -> inflow.Inflow:
        return inflow.inflow(self.user, self.selection, self.period)

    @cached_property
    def month_counts(self) -> dict[tuple[int, int], int]:
        return self.received.months()

    @cached_property
    def won(self) -> list[outcome.Won]:
        return outcome.won(self.user, self.selection, self.period)

    @cached_property
    def activity(self) -> outcome.Activity:
        return outcome.activity(self.user, self.selection, self.period)

    def table(self, key: str) -> Table:
        if key not in self._tables:
            self._tables[key] = BUILDERS[key](self)
        return self._tables[key]

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
