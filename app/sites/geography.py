"""Where a site lies: municipality boundaries, SWEREF 99 TM and SWEREF 99 15 00 (the local
zone of the municipalities' own maps), distances to logistics nodes.

The boundaries are simplified (see app/geo/data/README.md): near a border they can be
off by several hundred metres, so a point less than 1 km outside its municipality is
accepted with a warning, anything farther is refused.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from geopy.distance import geodesic
from pyproj import Transformer

DATA_DIR = Path(__file__).resolve().parent.parent / "geo" / "data"
MUNICIPALITY_CODES = {"1880": "orebro", "1861": "hallsberg", "1881": "kumla", "1984": "arboga"}
WARN_OUTSIDE_KM = 1.0
# SWEREF 99 TM covers Sweden; a typed value outside these ranges is a mistake.
SWEREF_NORTHING = (6_100_000, 7_700_000)
SWEREF_EASTING = (200_000, 1_000_000)
TM, ZONE_15_00 = "EPSG:3006", "EPSG:3009"
SWEREF_SYSTEMS = {TM: "SWEREF 99 TM", ZONE_15_00: "SWEREF 99 15 00"}
# SWEREF 99 15 00 (central meridian 15° E, false easting 150 000 m): the region lies at
# eastings of about 130 000–200 000, where SWEREF 99 TM has none in Sweden (over 260 000).
ZONE_15_00_EASTING = (40_000, 300_000)


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_sweref(lat: float, lon: float, system: str = TM) -> tuple[float, float]:
    """WGS84 → SWEREF 99 (TM or 15 00) as (northing, easting) in metres."""
    easting, northing = _transformer("EPSG:4326", system).transform(lon, lat)
    return northing, easting


def from_sweref(northing: float, easting: float, system: str = TM) -> tuple[float, float]:
    """SWEREF 99 (TM or 15 00) (northing, easting) → WGS84 (lat, lon)."""
    lon, lat = _transformer(system, "EPSG:4326").transform(easting, northing)
    return lat, lon


def sweref_system_of(easting: float) -> str:
    """The system a typed easting belongs to: SWEREF 99 15 00 below 300 000 m, else TM."""
    return ZONE_15_00 if easting < ZONE_15_00_EASTING[1] else TM


def sweref_eastings(system: str) -> tuple[int, int]:
    return ZONE_15_00_EASTING if system == ZONE_15_00 else SWEREF_EASTING


def sweref_in_range(northing: float, easting: float, system: str = TM) -> bool:
    eastings = sweref_eastings(system)
    return (SWEREF_NORTHING[0] <= northing <= SWEREF_NORTHING[1]
            and eastings[0] <= easting <= eastings[1])


@cache
def municipality_geojson() -> dict:
    """The boundary polygons (GeoJSON, lon/lat), each feature with a `slug` property."""
    data = json.loads((DATA_DIR / "municipalities.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"]["slug"] = MUNICIPALITY_CODES[feature["properties"]["id"]]
    return data


def _outer_rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


@cache
def _projected_rings() -> dict[str, list[list[tuple[float, float]]]]:
    """Each municipality's outer rings in SWEREF 99 TM metres (easting, northing)."""
    rings: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in municipality_geojson()["features"]:
        slug = feature["properties"]["slug"]
        for ring in _outer_rings(feature["geometry"]):
            xs, ys = _transformer("EPSG:4326", TM).transform([p[0] for p in ring], [p[1] for p in ring])
            rings.setdefault(slug, []).append(list(zip(xs, ys, strict=True)))
    return rings


def _inside(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _segment_distance(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def km_outside(slug: str, lat: float, lon: float) -> float:
    """0 when the point lies inside the municipality's polygon, else its distance in km."""
    easting, northing = _transformer("EPSG:4326", TM).transform(lon, lat)
    rings = _projected_rings()[slug]
    if any(_inside(easting, northing, ring) for ring in rings):
        return 0.0
    return min(
        _segment_distance(easting, northing, a, b)
        for ring in rings for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
    ) / 1000


def municipality_at(lat: float, lon: float) -> str | None:
    """The slug of the municipality whose polygon holds the point, if any of the four."""
    for slug in _projected_rings():
        if km_outside(slug, lat, lon) == 0.0:
            return slug
    return None


@dataclass
class PositionCheck:
    """The verdict on a site's position: errors refuse it, warnings accept it."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def check_position(slug: str, municipality_name: str, lat: float, lon: float,
                   names: dict[str, str] | None = None) -> PositionCheck:
    """Inside → fine; < 1 km outside → warning; farther → error (saying when lat/lon look
    swapped or which partner municipality the point lies in)."""
    check = PositionCheck()
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        if -90 <= lon <= 90 and km_outside(slug, lon, lat) == 0.0:
            check.errors.append(_l("Latitude and longitude look swapped: swapped, the point lies "
                                   "in %(municipality)s.", municipality=municipality_name))
        else:
            check.errors.append(_l("Latitude must lie between -90 and 90 and longitude between "
                                   "-180 and 180."))
        return check
    outside = km_outside(slug, lat, lon)
    if outside == 0.0:
        return check
    distance = f"{outside:.1f}"
    if outside < WARN_OUTSIDE_KM:
        check.warnings.append(_l(
            "The point lies %(distance)s km outside %(municipality)s. The boundary we have is "
            "simplified, so the site is saved; check the position.",
            distance=distance, municipality=municipality_name))
        return check
    if km_outside(slug, lon, lat) == 0.0:
        check.errors.append(_l("Latitude and longitude look swapped: swapped, the point lies in "
                               "%(municipality)s.", municipality=municipality_name))
        return check
    elsewhere = municipality_at(lat, lon)
    if elsewhere and names and elsewhere in names:
        check.errors.append(_l("The point lies in %(other)s, not in %(municipality)s.",
                               other=names[elsewhere], municipality=municipality_name))
    else:
        check.errors.append(_l("The point lies %(distance)s km outside %(municipality)s.",
                               distance=distance, municipality=municipality_name))
    return check


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km on the WGS84 ellipsoid between two (lat, lon) points."""
    return geodesic(a, b).km


def nearest_km(point: tuple[float, float], nodes: Iterable[tuple[float, float]]) -> float | None:
    """The distance to the nearest of `nodes`, rounded to 0.1 km; None without nodes."""
    distances = [geodesic_km(point, node) for node in nodes]
    return round(min(distances), 1) if distances else None
