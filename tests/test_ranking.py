"""The match page ranks in SQL (app/candidates/ranking.py) what app/candidates/matching.py
decides: the same verdicts, the same sites fitting, the same order, on random sites."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
import time_machine

from app.candidates import service
from app.candidates.matching import Needs, match_sites
from app.extensions import db
from app.sites.models import DetaljplanStatus, RailSiding, SiteStatus
from tests.factories import make_site

TODAY = date(2026, 12, 4)
POSITIONS = {"kumla": (59.138, 15.118), "hallsberg": (59.066, 15.110), "orebro": (59.274, 15.207),
             "arboga": (59.394, 15.838)}


def _maybe(rng: random.Random, value):
    return None if rng.random() < 0.25 else value


def _random_sites(rng: random.Random, count: int) -> None:
    for n in range(count):
        slug = rng.choice(list(POSITIONS))
        lat, lon = POSITIONS[slug]
        make_site(
            slug, name=f"Tomt {n:03d}", lat=lat + rng.uniform(-0.03, 0.03),
            lon=lon + rng.uniform(-0.05, 0.05),
            status=rng.choice([SiteStatus.AVAILABLE] * 4 + [SiteStatus.RESERVED, SiteStatus.SOLD]),
            land_area_m2=_maybe(rng, rng.randrange(5_000, 300_000, 5_000)),
            building_area_m2=_maybe(rng, rng.randrange(0, 60_000, 1_000)),
            rail_siding=_maybe(rng, rng.choice(list(RailSiding))),
            power_mw=_maybe(rng, round(rng.uniform(0, 15), 1)),
            water_sewage=_maybe(rng, rng.random() < 0.6),
            detaljplan_status=_maybe(rng, rng.choice(list(DetaljplanStatus))),
            available_from=_maybe(rng, TODAY + timedelta(days=rng.randrange(-400, 900))),
            price_sek_m2=_maybe(rng, rng.randrange(100, 1300, 50)))


def _random_needs(rng: random.Random) -> Needs:
    low = _maybe(rng, rng.randrange(10_000, 150_000, 10_000))
    return Needs(
        land_min_m2=low, land_max_m2=_maybe(rng, (low or 0) + rng.randrange(0, 200_000, 10_000)),
        land_must=rng.random() < 0.5, building_m2=_maybe(rng, rng.randrange(0, 40_000, 1_000)),
        building_must=rng.random() < 0.3, rail_siding=_maybe(rng, rng.random() < 0.6),
        rail_accept_possible=rng.random() < 0.5, rail_must=rng.random() < 0.4,
        motorway_km_max=_maybe(rng, rng.uniform(1, 20)), motorway_must=rng.random() < 0.3,
        terminal_km_max=_maybe(rng, rng.uniform(1, 40)), terminal_must=rng.random() < 0.3,
        airport_km_max=_maybe(rng, rng.uniform(1, 60)), airport_must=rng.random() < 0.2,
        power_mw=_maybe(rng, round(rng.uniform(0, 12), 1)),
        power_lead_time_months=_maybe(rng, rng.randrange(0, 36)), power_must=rng.random() < 0.4,
        water_sewage=_maybe(rng, rng.random() < 0.7), water_must=rng.random() < 0.3,
        preferred_municipalities=tuple(rng.sample(list(POSITIONS), rng.randrange(0, 3))),
        preferred_must=rng.random() < 0.3,
        desired_start=_maybe(rng, TODAY + timedelta(days=rng.randrange(0, 1500))),
        start_must=rng.random() < 0.4, price_max_sek_m2=_maybe(rng, rng.randrange(200, 1200, 50)),
        price_must=rng.random() < 0.3)


@pytest.mark.parametrize("seed", range(6))
def test_sql_ranking_agrees_with_the_rules(app, users, seed):
    rng = random.Random(seed)
    _random_sites(rng, 40)
    db.session.commit()
    with time_machine.travel(TODAY, tick=False):
        facts = service.site_facts(users["admin"], include_reserved=True)
        seen = {"fitting": 0, "unfit": 0, "blocked": 0}
        for _ in range(15):
            needs = _random_needs(rng)
            offer = service.Offer(include_reserved=True)
            page = service.match_page(users["admin"], needs, shown=1_000, offer=offer)
            unfit = service.unfit_matches(users["admin"], needs, 1_000, offer)
            expected = match_sites(needs, facts, TODAY)
            fitting = [m for m in expected if m.fits]
            assert [m.site.id for m in page.fitting] == [m.site.id for m in fitting], needs
            assert page.total == len(fitting)
            assert page.unfit_total == len(expected) - len(fitting)
            assert [m.site.id for m in unfit] == sorted(m.site.id for m in expected if not m.fits)
            assert {m.site.id for m in page.blocked} == {m.site.id for m in fitting
                                                         if m.unknown_musts}
            # The verdicts agree; the page's wording differs only in rounding distances to
            # estimated nodes ("≈ 3 km", tests/test_logistics_nodes.py).
            assert ([[(c.key, c.verdict, c.must) for c in m.criteria] for m in page.fitting]
                    == [[(c.key, c.verdict, c.must) for c in m.criteria] for m in fitting])
            seen["fitting"] += page.total
            seen["unfit"] += page.unfit_total
            seen["blocked"] += len(page.blocked)
    assert all(seen.values()), seen  # the random cases reach every kind of row
