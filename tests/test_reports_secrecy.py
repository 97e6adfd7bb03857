"""Secrecy in figures: another municipality's confidential matter changes no figure of a
user, whatever it is shared, proposed or reserved; one that is not confidential does,
where the user may see it (app/reports/counted.py)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from app.candidates.models import CandidateStatus
from app.extensions import db
from app.leads.models import ActivityKind, Source, Stage
from app.reports.counted import LeadSelection
from app.reports.periods import Period
from app.reports.service import BUILDERS, Report
from app.sites.models import SiteStatus
from tests import reports_world
from tests.factories import make_site
from tests.reports_world import TODAY, local


def every_figure(user, selection: LeadSelection | None = None) -> dict[str, list]:
    figures = Report(user, selection or LeadSelection(), Period.year(2026), TODAY)
    return {key: [tuple(map(str, row)) for row in figures.table(key).rows] for key in BUILDERS}


@pytest.fixture
def world(app, users):
    with app.test_request_context(), force_locale("sv"):
        yield reports_world.build(users)


def hallsberg_site():
    """Land of Hallsberg, made before the figures are first taken (land is no matter)."""
    return make_site("hallsberg", name="Rala 9", land_area_m2=60_000,
                     status=SiteStatus.RESERVED, lat=59.05, lon=15.1)


def add_confidential_arboga_matter(users, site, confidential: bool = True):
    """A matter of Arboga shared with Hallsberg in full, won, answered, with a candidate
    site, a held visit and a reservation on Hallsberg's land."""
    arboga = users["arboga"]
    made = reports_world.lead(arboga, "Hemlig", date(2026, 3, 3), sector="Lager",
                              source=Source.FAIR, confidential=confidential,
                              **reports_world.won(date(2026, 10, 1), 400, 900.0, 60_000))
    reports_world.share(made, "hallsberg")
    reports_world.activity(made, arboga, local(2026, 3, 4, 9))
    reports_world.activity(made, arboga, local(2026, 4, 1, 9), ActivityKind.STAGE_CHANGE,
                           Stage.NEGOTIATION)
    chosen = reports_world.candidate(made, site, CandidateStatus.SELECTED, local(2026, 3, 9, 9))
    reports_world.visit(made, users["hallsberg"], local(2026, 4, 2, 10), [chosen])
    reports_world.reservation(made, site, date(2026, 5, 5),
                              reports_world.ReservationStatus.CONVERTED, local(2026, 9, 1, 9),
                              chosen)
    db.session.commit()
    return made


@pytest.mark.parametrize("who", ["hallsberg", "kumla", "admin", "viewer"])
def test_another_municipalitys_confidential_matter_changes_no_figure(world, users, who):
    site = hallsberg_site()
    before = every_figure(users[who])
    lager = every_figure(users[who], LeadSelection(sector="Lager"))
    add_confidential_arboga_matter(users, site)
    assert every_figure(users[who]) == before
    assert every_figure(users[who], LeadSelection(sector="Lager")) == lager


def test_the_same_matter_not_confidential_counts_for_the_partner_it_is_shared_with(world, users):
    site = hallsberg_site()
    before = every_figure(users["hallsberg"])
    add_confidential_arboga_matter(users, site, confidential=False)
    after = every_figure(users["hallsberg"])
    changed = {key for key in BUILDERS if after[key] != before[key]}
    assert {"won", "inflow_month", "answered", "funnel", "activity"} <= changed


def test_the_owning_municipality_counts_its_confidential_matter(world, users):
    site = hallsberg_site()
    before = every_figure(users["arboga"])
    add_confidential_arboga_matter(users, site)
    assert every_figure(users["arboga"])["won"] != before["won"]


def test_nobody_signed_in_counts_nothing(world, app):
    from flask_login import AnonymousUserMixin

    figures = Report(AnonymousUserMixin(), LeadSelection(), Period.year(2026), TODAY)
    assert figures.table("won").rows == []
    assert sum(row[1] for row in figures.table("stages").rows) == 0
