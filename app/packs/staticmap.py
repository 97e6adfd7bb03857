"""The pack's map as a PNG drawn on the server with Pillow: the municipality outlines,
the logistics nodes and the numbered sites, in SWEREF 99 TM (metres), with no tile server,
so the pack shows and prints without a network."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from app.sites.geography import municipality_geojson, to_sweref

WIDTH, HEIGHT = 900, 620
MARGIN_M = 8_000  # around the sites
SITE_COLOUR, NODE_COLOUR, OUTLINE_COLOUR = "#c62828", "#6a1b9a", "#90a4ae"


@dataclass(frozen=True)
class MapPoint:
    label: str
    lat: float
    lon: float


def _box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) in metres, with a margin, at the image's aspect."""
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    west, east = min(xs) - MARGIN_M, max(xs) + MARGIN_M
    south, north = min(ys) - MARGIN_M, max(ys) + MARGIN_M
    width, height = east - west, north - south
    if width / height < WIDTH / HEIGHT:  # widen to the image's aspect, centred
        extra = height * WIDTH / HEIGHT - width
        west, east = west - extra / 2, east + extra / 2
    else:
        extra = width * HEIGHT / WIDTH - height
        south, north = south - extra / 2, north + extra / 2
    return west, south, east, north


def render(sites: Sequence[MapPoint], nodes: Sequence[MapPoint]) -> bytes:
    projected = [(to_sweref(s.lat, s.lon)[1], to_sweref(s.lat, s.lon)[0]) for s in sites]
    west, south, east, north = _box(projected or [(512_000, 6_570_000)])

    def pixel(easting: float, northing: float) -> tuple[float, float]:
        return ((easting - west) / (east - west) * WIDTH,
                (north - northing) / (north - south) * HEIGHT)

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=15)
    for feature in municipality_geojson()["features"]:
        geometry = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        for polygon in polygons:
            ring = [pixel(*reversed(to_sweref(lat, lon))) for lon, lat in polygon[0]]
            draw.line([*ring, ring[0]], fill=OUTLINE_COLOUR, width=2)
    for node in nodes:
        x, y = pixel(*reversed(to_sweref(node.lat, node.lon)))
        if 0 <= x <= WIDTH and 0 <= y <= HEIGHT:
            draw.rectangle([x - 5, y - 5, x + 5, y + 5], fill=NODE_COLOUR)
            draw.text((x + 8, y - 8), node.label, fill=NODE_COLOUR, font=font)
    for site, (easting, northing) in zip(sites, projected, strict=True):
        x, y = pixel(easting, northing)
        draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=SITE_COLOUR, outline="white", width=2)
        draw.text((x, y), site.label, fill="white", font=font, anchor="mm")
    draw.rectangle([0, 0, WIDTH - 1, HEIGHT - 1], outline="#607d8b")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
