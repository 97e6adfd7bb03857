"""Every figure of the reports against the hand-counted world of tests/reports_world.py,
for Hallsberg's advisor unless a test says otherwise (figures in app/reports/)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.leads.models import Stage
from app.reports.counted import LeadSelection
from app.reports.periods import Period
from app.reports.service import BUILDERS, Report, summary
from app.reports.sqltime import weighted_median
from tests import reports_world
from tests.factories import municipality
from tests.reports_world import TODAY


@pytest.fixture
def world(app, users):
    with app.test_request_context(), force_locale("en"):
        yield reports_world.build(users)


def report(user, year: int = 2026, selection: LeadSelection | None = None) -> Report:
    return Report(user, selection or LeadSelection(), Period.year(year), TODAY)


def rows(table) -> list[tuple]:
    return [tuple(str(v) if hasattr(v, "_args") or isinstance(v, str) else v for v in row)
            for row in table.rows]


def test_matters_per_skede_now(world, users):
    assert rows(report(users["hallsberg"]).table("stages")) == [
        ("New inquiry", 1), ("Needs analysis", 1), ("Sites proposed", 0), ("Site visit", 0),
        ("Negotiation", 0), ("Established", 3), ("Lost", 1), ("On hold", 0)]


def test_time_in_the_current_skede_counts_local_days_and_stale_matters(world, users):
    table = rows(report(users["hallsberg"]).table("time_in_stage"))
    # H4 changed 2026-04-02 00:30 in Stockholm: 90 days; H5 60 days: not stale (over 60)
    assert table[0] == ("New inquiry", 1, 90, 1)
    assert table[1] == ("Needs analysis", 1, 60, 0)
    assert table[2] == ("Sites proposed", 0, None, 0)


def test_funnel_and_conversion_of_the_year(world, users):
    assert rows(report(users["hallsberg"]).table("funnel")) == [
        ("New inquiry", 5, 100.0), ("Needs analysis", 5, 80.0), ("Sites proposed", 4, 75.0),
        ("Site visit", 3, 100.0), ("Negotiation", 3, 100.0), ("Established", 3, None)]


def test_inflow_per_month_and_quarter(world, users):
    figures = report(users["hallsberg"])
    months = rows(figures.table("inflow_month"))
    assert months[:6] == [("2026-01", 1), ("2026-02", 1), ("2026-03", 1), ("2026-04", 1),
                          ("2026-05", 1), ("2026-06", 0)]
    assert len(months) == 12 and sum(n for _m, n in months) == 5
    assert rows(figures.table("inflow_quarter")) == [
        ("2026 Q1", 3), ("2026 Q2", 2), ("2026 Q3", 0), ("2026 Q4", 0)]


def test_inflow_by_source_sector_and_municipality(world, users):
    figures = report(users["hallsberg"])
    assert dict(rows(figures.table("inflow_source"))) == {
        "Direct": 2, "Business Sweden": 1,
        "The region (Region Örebro län or Region Västmanland)": 1, "Broker or consultant": 0,
        "Web form": 1, "Fair or event": 0, "Other": 0}
    assert rows(figures.table("inflow_sector")) == [
        ("Lager", 3), ("Tillverkning", 1), ("Not stated", 1)]
    assert rows(figures.table("inflow_municipality")) == [
        ("Arboga", 1), ("Hallsberg", 4), ("Kumla", 0), ("Örebro", 0)]


def test_answered_within_two_working_days(world, users):
    assert rows(report(users["hallsberg"]).table("answered")) == [
        ("Arboga", 1, 1, 0, 0, 100.0), ("Hallsberg", 4, 2, 1, 1, 50.0),
        ("All", 5, 3, 1, 1, 60.0)]


def test_won_matters_with_jobs_investment_and_land(world, users):
    assert rows(report(users["hallsberg"]).table("won")) == [
        ("Arboga", "2026", 1, 150, 400.0, 10.0, 15.0),
        ("Hallsberg", "2026", 2, 160, 350.0, 10.0, 16.0),  # H1: its selected site's 8 ha
        ("All", "", 3, 310, 750.0, 20.0, 15.5)]


def test_closed_without_establishment_follows_the_year_in_stockholm(world, users):
    lost_2026 = dict(rows(report(users["hallsberg"], 2026).table("lost")))
    lost_2027 = dict(rows(report(users["hallsberg"], 2027).table("lost")))
    assert sum(lost_2026.values()) == 0
    assert lost_2027["Grid capacity"] == 1 and sum(lost_2027.values()) == 1


def test_key_figures_and_activity(world, users):
    figures = report(users["hallsberg"])
    # 119 (A1), 146 (H1) and 304 (H2) days from inquiry to decision
    assert rows(figures.table("key_figures")) == [
        ("Median days from inquiry to decision", 146), ("Candidate sites proposed per matter", 2.0)]
    assert rows(figures.table("activity")) == [
        ("Site visits held", 1), ("Candidate sites proposed", 2),
        ("Matters with candidate sites proposed", 1), ("Reservations made", 1),
        ("Reservations converted", 1), ("Reservations expired", 1)]


def test_land_offered_and_complete_key_data(world, users):
    figures = report(users["hallsberg"])
    assert rows(figures.table("land_readiness")) == [
        ("Hallsberg", "Ready to build", 4.0, 0), ("Kumla", "Planned", 3.0, 1)]
    assert rows(figures.table("land_rail")) == [
        ("Hallsberg", "Existing", 4.0, 0), ("Kumla", "Not stated", 3.0, 1)]
    assert rows(figures.table("land_detaljplan"))[0] == ("Hallsberg", "In force", 4.0, 0)
    assert rows(figures.table("completeness")) == [("Hallsberg", 2, 1, 50.0),
                                                   ("Kumla", 1, 0, 0.0)]


def test_the_admin_counts_every_non_confidential_matter(world, users):
    table = rows(report(users["admin"]).table("won"))
    # H1 8 ha (its selected site), A1 10 ha, A2 0.9 ha; H2, A3 and A4 are confidential
    assert table[-1] == ("All", "", 3, 1269, 709.0, 18.9, 67.1)


def test_an_empty_year_has_zeros_and_no_medians(world, users):
    figures = report(users["hallsberg"], 2030)
    assert sum(n for _m, n in rows(figures.table("inflow_month"))) == 0
    assert figures.table("won").rows == [] and figures.table("answered").rows == []
    assert rows(figures.table("key_figures")) == [
        ("Median days from inquiry to decision", None), ("Candidate sites proposed per matter", None)]
    assert [row[1] for row in rows(figures.table("funnel"))] == [0] * 6
    assert summary(figures, 2030).established == 0


def test_a_municipality_sector_and_source_filter(world, users):
    arboga = LeadSelection(municipality_id=municipality("arboga").id)
    assert rows(report(users["hallsberg"], selection=arboga).table("inflow_municipality")) == [
        ("Arboga", 1)]
    lager = rows(report(users["hallsberg"], selection=LeadSelection(sector="Lager"))
                 .table("inflow_quarter"))
    assert lager == [("2026 Q1", 2), ("2026 Q2", 1), ("2026 Q3", 0), ("2026 Q4", 0)]


def test_a_quarter_and_custom_dates(world, users):
    quarter = Report(users["hallsberg"], LeadSelection(), Period.quarter(2026, 2), TODAY)
    assert rows(quarter.table("inflow_month")) == [("2026-04", 1), ("2026-05", 1),
                                                   ("2026-06", 0)]
    custom = Report(users["hallsberg"], LeadSelection(),
                    Period(date(2026, 1, 15), date(2026, 1, 15)), TODAY)
    assert rows(custom.table("inflow_month")) == [("2026-01", 1)]


def test_the_summary_of_the_year(world, users):
    found = summary(report(users["hallsberg"]), 2026)
    assert (found.established, found.jobs, found.investment_msek, found.land_ha) == (
        3, 310, 750.0, 20.0)
    assert (found.received, found.answered_in_time_percent, found.lost) == (5, 60.0, 0)


def test_every_figure_is_built(world, users):
    figures = report(users["viewer"])
    assert all(figures.table(key).key == key for key in BUILDERS)


@pytest.mark.parametrize("values, median", [([], None), ([(3, 1)], 3), ([(1, 1), (5, 1)], 3),
                                            ([(1, 2), (9, 1)], 1), ([(2, 1), (4, 2), (8, 1)], 4)])
def test_weighted_median(values, median):
    assert weighted_median(values) == median


def test_median_days_in_skede_of_even_and_odd_groups(app, users):
    """The median of an even group is the mean of its two middle values, on PostgreSQL
    (percentile_disc both ways) as on SQLite (grouped in Python)."""
    kumla = users["kumla"]
    with app.test_request_context(), force_locale("en"):
        for days in (10, 20, 40, 70):
            changed = TODAY - timedelta(days=days)
            reports_world.lead(kumla, f"Q{days}", changed, Stage.QUALIFIED,
                               reports_world.local(changed.year, changed.month, changed.day, 9))
        for days in (5, 6, 100):
            changed = TODAY - timedelta(days=days)
            reports_world.lead(kumla, f"N{days}", changed, Stage.NEGOTIATION,
                               reports_world.local(changed.year, changed.month, changed.day, 23))
        db.session.commit()
        table = rows(report(kumla).table("time_in_stage"))
    assert ("Needs analysis", 4, 30.0, 1) in table
    assert ("Negotiation", 3, 6.0, 1) in table
