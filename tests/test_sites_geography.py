"""Boundaries, SWEREF 99 TM, distances: the geography behind the site rules."""

import csv

import pytest

from app.sites import geography
from app.sites.geography import (
    DATA_DIR,
    TM,
    ZONE_15_00,
    check_position,
    from_sweref,
    km_outside,
    sweref_system_of,
    to_sweref,
)

NAMES = {"orebro": "Örebro", "hallsberg": "Hallsberg", "kumla": "Kumla", "arboga": "Arboga"}


def test_every_logistics_node_lies_in_its_own_municipality():
    slugs = {v: k for k, v in NAMES.items()}
    with (DATA_DIR / "logistics-nodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            assert geography.municipality_at(float(row["lat"]), float(row["lon"])) == \
                slugs[row["municipality"]], row["name"]


@pytest.mark.parametrize(("lat", "lon", "slug"), [
    (59.2741, 15.2066, "orebro"), (59.0664, 15.1098, "hallsberg"),
    (59.1277, 15.1434, "kumla"), (59.3939, 15.8388, "arboga"),
])
def test_town_centres_lie_in_their_municipality(lat, lon, slug):
    assert km_outside(slug, lat, lon) == 0.0
    assert check_position(slug, NAMES[slug], lat, lon).errors == []


def test_point_inside_is_accepted_without_warning():
    check = check_position("kumla", "Kumla", 59.1277, 15.1434, NAMES)
    assert check.errors == [] and check.warnings == []


def _point_outside(slug: str, km: float) -> tuple[float, float]:
    """A point about `km` outside the polygon, found by walking east from inside."""
    lat, lon = {"kumla": (59.1277, 15.1434)}[slug]
    step = 0.0005
    while km_outside(slug, lat, lon) < km:
        lon += step
    return lat, lon


def test_point_just_outside_is_accepted_with_a_warning():
    lat, lon = _point_outside("kumla", 0.5)
    check = check_position("kumla", "Kumla", lat, lon, NAMES)
    assert check.errors == []
    assert "utanför Kumla" in str(check.warnings[0]) or "outside Kumla" in str(check.warnings[0])


def test_point_far_outside_is_refused(app):
    lat, lon = _point_outside("kumla", 5)
    check = check_position("kumla", "Kumla", lat, lon, NAMES)
    assert check.errors and not check.warnings


def test_point_in_a_partner_municipality_names_it(app):
    check = check_position("kumla", "Kumla", 59.3939, 15.8388, NAMES)
    assert "Arboga" in str(check.errors[0])


def test_swapped_latitude_and_longitude_are_recognised(app):
    check = check_position("kumla", "Kumla", 15.1434, 59.1277, NAMES)
    assert len(check.errors) == 1
    assert "swapped" in str(check.errors[0]) or "förväxlade" in str(check.errors[0])


def test_sweref_99_tm_round_trip_and_known_value():
    northing, easting = to_sweref(59.2741, 15.2066)
    assert 6_570_000 < northing < 6_580_000 and 510_000 < easting < 513_000
    lat, lon = from_sweref(northing, easting)
    assert lat == pytest.approx(59.2741, abs=1e-7) and lon == pytest.approx(15.2066, abs=1e-7)


def test_geodesic_distance_between_orebro_airport_and_torsjo_terminal():
    km = geography.geodesic_km((59.2281, 15.0400), (59.2100, 15.1800))
    assert km == pytest.approx(8.2, abs=0.2)
    assert geography.nearest_km((59.2281, 15.0400), []) is None


def test_sweref_99_15_00_agrees_with_tm_by_their_definitions():
    """Both are transverse Mercator on GRS 80 around 15° E: 15 00 has scale 1 and false
    easting 150 000 m, TM scale 0.9996 and false easting 500 000 m. So one follows from the
    other by arithmetic, independently of the library's conversion."""
    for lat, lon in [(59.2741, 15.2157), (59.394, 15.838), (59.03, 14.87)]:
        tm_n, tm_e = to_sweref(lat, lon, TM)
        n, e = to_sweref(lat, lon, ZONE_15_00)
        assert n == pytest.approx(tm_n / 0.9996, abs=0.01)
        assert e == pytest.approx((tm_e - 500_000) / 0.9996 + 150_000, abs=0.01)
        back = from_sweref(n, e, ZONE_15_00)
        assert back == pytest.approx((lat, lon), abs=1e-7)
    castle_n, castle_e = to_sweref(59.2741, 15.2157, ZONE_15_00)
    assert round(castle_n) == 6_573_223 and round(castle_e) == 162_299


def test_the_easting_tells_the_sweref_system():
    assert sweref_system_of(162_299) == ZONE_15_00
    assert sweref_system_of(512_294) == TM
