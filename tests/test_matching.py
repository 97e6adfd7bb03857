"""Matching sites against an inquiry (issue 15): the rules on value objects, no database."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from app.candidates.matching import (
    FAIL,
    PASS,
    UNKNOWN,
    Criterion,
    Needs,
    SiteFacts,
    evaluate,
    match_sites,
    score,
)

TODAY = date(2026, 12, 4)
TRANSLATIONS = str(Path(__file__).resolve().parent.parent / "app" / "translations")


@pytest.fixture(scope="module")
def babel_app():
    """Only what the explanations need: Flask-Babel with the product's catalogue."""
    flask_app = Flask(__name__)
    Babel(flask_app, default_translation_directories=TRANSLATIONS)
    with flask_app.app_context():
        yield flask_app


def site(site_id=1, **facts):
    return SiteFacts(id=site_id, name=f"Tomt {site_id}", municipality="kumla", **facts)


def criterion(match, key):
    found = [c for c in match.criteria if c.key == key]
    assert len(found) == 1, [c.key for c in match.criteria]
    return found[0]


# --- each criterion ------------------------------------------------------------------------

@pytest.mark.parametrize(("area", "verdict"), [
    (79_999, FAIL), (80_000, PASS), (120_000, PASS), (150_000, PASS), (150_001, FAIL), (None, UNKNOWN),
])
def test_land_area_within_min_and_max(babel_app, area, verdict):
    needs = Needs(land_min_m2=80_000, land_max_m2=150_000, land_must=True)
    with force_locale("sv"):
        found = criterion(evaluate(needs, site(land_area_m2=area), TODAY), "land_area")
    assert (found.verdict, found.must) == (verdict, True)


def test_explanations_state_the_figures_in_the_readers_language(babel_app):
    needs = Needs(land_min_m2=80_000, power_mw=5.5, terminal_km_max=10)
    facts = site(land_area_m2=120_000, power_mw=3.2, dist_terminal_km=4.25)
    with force_locale("sv"):
        swedish = {c.key: c.explanation for c in evaluate(needs, facts, TODAY).criteria}
    with force_locale("en"):
        english = {c.key: c.explanation for c in evaluate(needs, facts, TODAY).criteria}
    nbsp = "\N{NO-BREAK SPACE}"
    assert swedish["land_area"] == f"Markareal 120{nbsp}000 m², önskat ≥ 80{nbsp}000 m²"
    assert english["land_area"] == "Land area 120,000 m², wanted ≥ 80,000 m²"
    assert swedish["power"] == "Effekt 3,2 MW < 5,5 MW"
    assert english["power"] == "Power 3.2 MW < 5.5 MW"
    assert swedish["terminal_km"] == "Kombiterminal 4,2 km fågelvägen ≤ 10 km"
    assert english["terminal_km"] == "Intermodal terminal 4.2 km as the crow flies ≤ 10 km"


@pytest.mark.parametrize(("siding", "accept_possible", "verdict"), [
    ("existing", False, PASS), ("possible", False, FAIL), ("possible", True, PASS),
    ("none", True, FAIL), (None, True, UNKNOWN),
])
def test_rail_siding_possible_passes_only_when_accepted(babel_app, siding, accept_possible, verdict):
    needs = Needs(rail_siding=True, rail_accept_possible=accept_possible)
    assert criterion(evaluate(needs, site(rail_siding=siding), TODAY), "rail_siding").verdict == verdict


def test_no_rail_need_is_not_a_criterion(babel_app):
    match = evaluate(Needs(rail_siding=False), site(rail_siding="none"), TODAY)
    assert "rail_siding" not in [c.key for c in match.criteria]


@pytest.mark.parametrize(("key", "needs", "facts"), [
    ("motorway_km", Needs(motorway_km_max=5), "dist_motorway_km"),
    ("terminal_km", Needs(terminal_km_max=5), "dist_terminal_km"),
    ("airport_km", Needs(airport_km_max=5), "dist_airport_km"),
])
def test_distances_are_at_most_the_limit(babel_app, key, needs, facts):
    verdicts = [criterion(evaluate(needs, site(**{facts: km}), TODAY), key).verdict
                for km in (4.9, 5.0, 5.1, None)]
    assert verdicts == [PASS, PASS, FAIL, UNKNOWN]


@pytest.mark.parametrize(("facts", "needs", "verdict"), [
    ({"power_mw": 6}, {}, PASS),
    ({"power_mw": 2}, {}, FAIL),
    ({}, {}, UNKNOWN),
    # expandable: 2 now + 4 more in 12 months
    ({"power_mw": 2, "power_expandable_mw": 4, "power_lead_time_months": 12},
     {"power_lead_time_months": 12}, PASS),
    ({"power_mw": 2, "power_expandable_mw": 4, "power_lead_time_months": 12},
     {"power_lead_time_months": 11}, FAIL),
    # no waiting time stated: the months until the desired start count
    ({"power_mw": 2, "power_expandable_mw": 4, "power_lead_time_months": 12},
     {"desired_start": date(2028, 1, 1)}, PASS),
    ({"power_mw": 2, "power_expandable_mw": 4, "power_lead_time_months": 12},
     {"desired_start": date(2027, 6, 1)}, FAIL),
    ({"power_mw": 2, "power_expandable_mw": 4, "power_lead_time_months": 12}, {}, FAIL),
    ({"power_mw": 2, "power_expandable_mw": 2.5, "power_lead_time_months": 1},
     {"power_lead_time_months": 24}, FAIL),
])
def test_power_now_or_expandable_in_time(babel_app, facts, needs, verdict):
    found = criterion(evaluate(Needs(power_mw=5, **needs), site(**facts), TODAY), "power")
    assert found.verdict == verdict, found.explanation


@pytest.mark.parametrize(("stage", "start", "verdict"), [
    ("laga_kraft", None, PASS), ("antagen", None, PASS),
    ("granskning", date(2028, 6, 4), PASS), ("samrad", date(2028, 6, 4), PASS),
    ("granskning", date(2028, 5, 4), FAIL), ("samrad", None, FAIL),
    ("planbesked", date(2035, 1, 1), FAIL), ("none", None, FAIL), (None, None, UNKNOWN),
])
def test_detaljplan_stages(babel_app, stage, start, verdict):
    found = criterion(evaluate(Needs(desired_start=start), site(detaljplan=stage), TODAY),
                      "detaljplan")
    assert found.verdict == verdict, found.explanation


def test_water_municipality_availability_and_price(babel_app):
    needs = Needs(water_sewage=True, preferred_municipalities=("kumla", "orebro"),
                  desired_start=date(2027, 6, 1), price_max_sek_m2=500)
    good = evaluate(needs, site(water_sewage=True, available_from=date(2027, 5, 1),
                                price_sek_m2=450), TODAY)
    assert {c.key: c.verdict for c in good.criteria} == {
        "water_sewage": PASS, "municipality": PASS, "available": PASS, "price": PASS,
        "detaljplan": UNKNOWN}
    bad = evaluate(needs, replace(site(water_sewage=False, available_from=date(2027, 7, 1),
                                       price_sek_m2=900), municipality="arboga"), TODAY)
    assert {c.key: c.verdict for c in bad.criteria} == {
        "water_sewage": FAIL, "municipality": FAIL, "available": FAIL, "price": FAIL,
        "detaljplan": UNKNOWN}
    reserved = evaluate(needs, site(status="reserved"), TODAY)
    assert criterion(reserved, "available").verdict == FAIL


# --- score and ranking ---------------------------------------------------------------------

def test_score_is_the_weighted_share_of_nice_to_haves_passed(babel_app):
    needs = Needs(land_min_m2=10_000, rail_siding=True, water_sewage=True)
    # weights: land 3, rail 3, water 1, detaljplan 2 (always evaluated)
    match = evaluate(needs, site(land_area_m2=20_000, rail_siding="none", water_sewage=None,
                                 detaljplan="laga_kraft"), TODAY)
    assert match.score == round(100 * (3 + 2) / (3 + 3 + 1 + 2))
    only_musts = Needs(land_min_m2=10_000, land_must=True, desired_start=date(2027, 1, 1),
                       start_must=True)
    assert evaluate(only_musts, site(land_area_m2=5), TODAY).score == 100


def test_unfit_sites_and_unknown_musts_rank_last(babel_app):
    needs = Needs(land_min_m2=50_000, land_must=True, power_mw=5, power_must=True,
                  rail_siding=True)
    sites = [
        site(1, land_area_m2=40_000, power_mw=10, rail_siding="existing"),   # fails a must
        site(2, land_area_m2=60_000, rail_siding="existing"),                 # power unknown
        site(3, land_area_m2=60_000, power_mw=6, rail_siding="none"),         # fits, score low
        site(4, land_area_m2=60_000, power_mw=6, rail_siding="existing"),     # fits, score high
        site(5, land_area_m2=60_000, power_mw=6, status="sold"),              # not matched
    ]
    ranked = match_sites(needs, sites, TODAY)
    assert [m.site.id for m in ranked] == [4, 3, 2, 1]
    assert [m.fits for m in ranked] == [True, True, True, False]
    assert ranked[2].unknown_musts == 1
    assert [c.key for c in ranked[3].failing] == ["land_area"]


# --- properties ----------------------------------------------------------------------------

maybe_int = st.none() | st.integers(0, 500_000)
maybe_km = st.none() | st.floats(0, 100, allow_nan=False)
sites_strategy = st.builds(
    SiteFacts, id=st.integers(1, 10**6), name=st.text(max_size=5),
    municipality=st.sampled_from(["orebro", "hallsberg", "kumla", "arboga"]),
    status=st.sampled_from(["available", "reserved"]),
    land_area_m2=maybe_int, contiguous_area_m2=maybe_int, building_area_m2=maybe_int,
    rail_siding=st.none() | st.sampled_from(["existing", "possible", "none"]),
    dist_motorway_km=maybe_km, dist_terminal_km=maybe_km, dist_airport_km=maybe_km,
    power_mw=st.none() | st.floats(0, 50, allow_nan=False),
    power_expandable_mw=st.none() | st.floats(0, 50, allow_nan=False),
    power_lead_time_months=st.none() | st.integers(0, 60),
    water_sewage=st.none() | st.booleans(),
    detaljplan=st.none() | st.sampled_from(
        ["none", "planbesked", "samrad", "granskning", "antagen", "laga_kraft"]),
    available_from=st.none() | st.dates(date(2020, 1, 1), date(2032, 1, 1)),
    price_sek_m2=maybe_int,
)
needs_strategy = st.builds(
    Needs, land_min_m2=maybe_int, land_max_m2=maybe_int, land_must=st.booleans(),
    contiguous_m2=maybe_int, contiguous_must=st.booleans(), building_m2=maybe_int,
    building_must=st.booleans(), rail_siding=st.none() | st.booleans(),
    rail_accept_possible=st.booleans(), rail_must=st.booleans(),
    motorway_km_max=maybe_km, motorway_must=st.booleans(), terminal_km_max=maybe_km,
    terminal_must=st.booleans(), airport_km_max=maybe_km, airport_must=st.booleans(),
    power_mw=st.none() | st.floats(0, 50, allow_nan=False),
    power_lead_time_months=st.none() | st.integers(0, 60), power_must=st.booleans(),
    water_sewage=st.none() | st.booleans(), water_must=st.booleans(),
    preferred_municipalities=st.lists(st.sampled_from(["orebro", "kumla"]), max_size=2).map(tuple),
    preferred_must=st.booleans(),
    desired_start=st.none() | st.dates(date(2026, 12, 1), date(2032, 1, 1)),
    start_must=st.booleans(), price_max_sek_m2=maybe_int, price_must=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(needs=needs_strategy, sites=st.lists(sites_strategy, max_size=8, unique_by=lambda s: s.id))
def test_a_site_passing_all_musts_never_ranks_below_one_failing_a_must(babel_app, needs, sites):
    ranked = match_sites(needs, sites, TODAY)
    fits = [m.fits for m in ranked]
    assert fits == sorted(fits, reverse=True)
    for match in ranked:
        assert match.fits == all(c.verdict != FAIL for c in match.criteria if c.must)


@settings(max_examples=150, deadline=None)
@given(needs=needs_strategy, facts=sites_strategy)
def test_unknown_never_counts_as_a_pass(babel_app, needs, facts):
    """An unknown criterion scores what a failing one scores, and less than a passing one;
    an unknown must is counted, so the site ranks after those that know."""
    match = evaluate(needs, facts, TODAY)
    unknown = [c for c in match.criteria if c.verdict == UNKNOWN]
    as_failed = [replace(c, verdict=FAIL) if c.verdict == UNKNOWN else c for c in match.criteria]
    as_passed = [replace(c, verdict=PASS) if c.verdict == UNKNOWN else c for c in match.criteria]
    assert match.score == score(as_failed)
    if any(not c.must for c in unknown):
        assert score(as_passed) > match.score
    assert match.unknown_musts == sum(1 for c in unknown if c.must)


@settings(max_examples=150, deadline=None)
@given(needs=needs_strategy, facts=sites_strategy, low=st.integers(1, 200_000),
       width=st.integers(0, 200_000))
def test_moving_the_area_into_the_range_never_lowers_the_score(babel_app, needs, facts, low, width):
    needs = replace(needs, land_min_m2=low, land_max_m2=low + width)
    outside = replace(facts, land_area_m2=low - 1)
    inside = replace(facts, land_area_m2=low + width // 2)
    before, after = evaluate(needs, outside, TODAY), evaluate(needs, inside, TODAY)
    assert after.score >= before.score
    assert after.fits or not before.fits


@settings(max_examples=100, deadline=None)
@given(needs=needs_strategy, sites=st.lists(sites_strategy, max_size=8, unique_by=lambda s: s.id),
       seed=st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_sites(babel_app, needs, sites, seed):
    shuffled = list(sites)
    seed.shuffle(shuffled)
    assert ([m.site.id for m in match_sites(needs, sites, TODAY)]
            == [m.site.id for m in match_sites(needs, shuffled, TODAY)])


def test_score_rounds_halves_up_as_the_sql_ranking_does():
    """1 of 8 weight points is 12.5: 13 both here and in SQL's integer arithmetic (Python's
    round() would give 12 and the database's order would disagree with the page's)."""
    weights = {"airport_km": 1, "land_area": 3, "power": 3, "water_sewage": 1}
    criteria = [Criterion("airport_km", PASS, False, ""), Criterion("land_area", FAIL, False, ""),
                Criterion("power", UNKNOWN, False, ""), Criterion("water_sewage", FAIL, False, "")]
    assert score(criteria, weights) == 13
    assert score([Criterion("land_area", PASS, True, "")], weights) == 100  # no nice-to-have
