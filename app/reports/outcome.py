"""Outcome figures: what the collaboration won in the period, and how the matters ended.

- Established (won): matters in skede Etablerad whose decision date (`decided_on`) falls
  in the period, per owning municipality and year, with their expected jobs, investment
  (mnkr) and land: the markareal of the matter's selected candidate sites (those the
  user may see), else its land requirement (minimum, else maximum). Jobs per hectare is
  the jobs over the land of the matters that state both.
- Closed without establishment: matters in skede Förlorad closed (their last change of
  skede) in the period, by reason.
- Days from inquiry to decision: the median of decided_on − received_on of the
  matters established in the period.
- Activity: site visits held, candidates proposed (and per matter they were proposed
  for), reservations made (decided), converted and expired in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.candidates.models import CandidateSite, CandidateStatus, SiteVisit
from app.extensions import db
from app.leads.labels import LOST_REASON_LABELS
from app.leads.models import Lead, LostReason, Stage
from app.reports.counted import LeadSelection
from app.reports.periods import Period
from app.reports.sqltime import days_between, grouped, weighted_median
from app.reports.tables import Column, Table
from app.reservations.models import Reservation, ReservationStatus
from app.scope import visible_filter
from app.sites.models import Site
from app.viewer import Viewer


def _won_land_m2(user: Viewer) -> sa.ColumnElement:
    selected = (sa.select(sa.func.sum(Site.land_area_m2))
                .select_from(CandidateSite).join(Site, Site.id == CandidateSite.site_id)
                .where(CandidateSite.lead_id == Lead.id,
                       CandidateSite.status == CandidateStatus.SELECTED,
                       visible_filter(user, CandidateSite))
                .scalar_subquery())
    return sa.func.coalesce(selected, Lead.land_min_m2, Lead.land_max_m2)


@dataclass(frozen=True)
class Won:
    municipality_id: int
    year: int
    matters: int
    jobs: int
    investment_msek: float
    land_m2: int
    jobs_with_land: int  # the jobs of the matters that state land too (for jobs per ha)


def won(user: Viewer, selection: LeadSelection, period: Period) -> list[Won]:
    land = _won_land_m2(user).label("land")
    year = sa.cast(sa.extract("year", Lead.decided_on), sa.Integer).label("year")
    per_lead = (sa.select(Lead.municipality_id, year, Lead.expected_jobs,
                          Lead.investment_msek, land)
                .where(*selection.criteria(user), Lead.stage == Stage.WON,
                       Lead.decided_on.between(period.start, period.end)).subquery())
    c = per_lead.c
    rows = db.session.execute(
        sa.select(c.municipality_id, c.year, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(c.expected_jobs), 0),
                  sa.func.coalesce(sa.func.sum(c.investment_msek), 0.0),
                  sa.func.coalesce(sa.func.sum(c.land), 0),
                  sa.func.coalesce(sa.func.sum(c.expected_jobs).filter(c.land.is_not(None)), 0))
        .group_by(c.municipality_id, c.year).order_by(c.year, c.municipality_id))
    return [Won(m, y, n, int(jobs), float(invest), int(land_m2), int(jobs_land))
            for m, y, n, jobs, invest, land_m2, jobs_land in rows]


def jobs_per_ha(jobs_with_land: int, land_m2: int) -> float | None:
    return round(jobs_with_land / (land_m2 / 10_000), 1) if land_m2 else None


def won_table(rows: list[Won], names: dict[int, str]) -> Table:
    table = Table("won", _l("Established: jobs, investment and land"),
                  (Column(_l("Municipality")), Column(_l("Year"), None),
                   Column(_l("Matters established"), ""), Column(_l("Expected jobs"), ""),
                   Column(_l("Investment"), "mnkr"), Column(_l("Land"), "ha"),
                   Column(_l("Jobs per hectare"), "")),
                  chart_column=3,
                  note=_l("Matters in skede Etablerad decided in the period. Land: the "
                          "markareal of the selected candidate sites, else the matter's "
                          "land requirement."))
    for row in sorted(rows, key=lambda r: (r.year, names.get(r.municipality_id, ""))):
        table.rows.append((names.get(row.municipality_id, ""), str(row.year), row.matters,
                           row.jobs, row.investment_msek, row.land_m2 / 10_000,
                           jobs_per_ha(row.jobs_with_land, row.land_m2)))
    if len(rows) > 1:
        total = total_won(rows)
        table.rows.append((_l("All"), "", total.matters, total.jobs, total.investment_msek,
                           total.land_m2 / 10_000,
                           jobs_per_ha(total.jobs_with_land, total.land_m2)))
    return table


def total_won(rows: list[Won]) -> Won:
    return Won(0, 0, sum(r.matters for r in rows), sum(r.jobs for r in rows),
               sum(r.investment_msek for r in rows), sum(r.land_m2 for r in rows),
               sum(r.jobs_with_land for r in rows))


def lost(user: Viewer, selection: LeadSelection, period: Period) -> Table:
    counts = dict(grouped(
        sa.select(Lead.lost_reason, sa.func.count())
        .where(*selection.criteria(user), Lead.stage == Stage.LOST,
               Lead.stage_changed_at >= period.utc_start, Lead.stage_changed_at < period.utc_end)
        .group_by(Lead.lost_reason)))
    rows = [(LOST_REASON_LABELS[reason], counts.get(reason, 0)) for reason in LostReason]
    if counts.get(None):
        rows.append((_l("Not stated"), counts[None]))
    return Table("lost", _l("Closed without establishment, by reason"),
                 (Column(_l("Reason")), Column(_l("Matters"), "")), rows)


def decision_days(user: Viewer, selection: LeadSelection, period: Period) -> float | None:
    days = days_between(Lead.decided_on, Lead.received_on)
    rows = db.session.execute(
        sa.select(days, sa.func.count())
        .where(*selection.criteria(user), Lead.stage == Stage.WON,
               Lead.decided_on.between(period.start, period.end))
        .group_by(days))
    return weighted_median(rows)


@dataclass(frozen=True)
class Activity:
    visits_held: int
    candidates: int
    matters_with_candidates: int
    reservations_made: int
    reservations_converted: int
    reservations_expired: int

    @property
    def candidates_per_matter(self) -> float | None:
        if not self.matters_with_candidates:
            return None
        return round(self.candidates / self.matters_with_candidates, 1)


def _of_counted_lead(user: Viewer, selection: LeadSelection,
                     lead_id: Any) -> sa.ColumnElement[bool]:
    return lead_id.in_(sa.select(Lead.id).where(*selection.criteria(user)))


def activity(user: Viewer, selection: LeadSelection, period: Period) -> Activity:
    start, end = period.utc_start, period.utc_end
    visits = db.session.scalar(
        sa.select(sa.func.count()).select_from(SiteVisit)
        .where(visible_filter(user, SiteVisit),
               _of_counted_lead(user, selection, SiteVisit.lead_id),
               SiteVisit.held_at >= start, SiteVisit.held_at < end)) or 0
    candidates, matters = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(CandidateSite.lead_id)))
        .where(visible_filter(user, CandidateSite),
               _of_counted_lead(user, selection, CandidateSite.lead_id),
               CandidateSite.proposed_at >= start, CandidateSite.proposed_at < end)).one()
    made, converted, expired = db.session.execute(
        sa.select(
            sa.func.count().filter(Reservation.decided_on.between(period.start, period.end)),
            sa.func.count().filter(Reservation.status == ReservationStatus.CONVERTED,
                                   Reservation.updated_at >= start, Reservation.updated_at < end),
            sa.func.count().filter(Reservation.status == ReservationStatus.EXPIRED,
                                   Reservation.valid_until.between(period.start, period.end)))
        .where(visible_filter(user, Reservation),
               _of_counted_lead(user, selection, Reservation.lead_id))).one()
    return Activity(visits, candidates, matters, made, converted, expired)


def activity_table(figures: Activity) -> Table:
    return Table("activity", _l("Site visits, candidates and reservations"),
                 (Column(_l("What")), Column(_l("Number"), "")),
                 [(_l("Site visits held"), figures.visits_held),
                  (_l("Candidate sites proposed"), figures.candidates),
                  (_l("Matters with candidate sites proposed"), figures.matters_with_candidates),
                  (_l("Reservations made"), figures.reservations_made),
                  (_l("Reservations converted"), figures.reservations_converted),
                  (_l("Reservations expired"), figures.reservations_expired)],
                 note=_l("Reservations made: decided in the period; converted: turned into "
                         "a land transfer in the period; expired: ended in the period "
                         "without one."))


def key_figures_table(median_days: float | None, figures: Activity) -> Table:
    return Table("key_figures", _l("Key figures"),
                 (Column(_l("Figure")), Column(_l("Value"), "")),
                 [(_l("Median days from inquiry to decision"), median_days),
                  (_l("Candidate sites proposed per matter"), figures.candidates_per_matter)],
                 chart_column=None,
                 note=_l("Decision: the decision date of the matters established in the "
                         "period."))
