"""The maps of Etablera, built from plain inputs and rendered for embedding.

Every user-supplied string goes through `map_text` (Folium tooltips and popups,
layer names) or into a compact array whose popups app/static/js/maps.js builds
with textContent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import xyzservices
from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.maps.elements import (
    Boundaries,
    ClickToSetCoordinates,
    LayerControl,
    Legend,
    MapParts,
    NodeLayer,
    SiteCluster,
    SiteMap,
    TileLayer,
)
from app.maps.escaping import map_text
from app.sites import labels as site_labels
from app.sites.geography import municipality_geojson
from app.sites.labels import STATUS_ORDER
from app.sites.nodes import estimated_distances

# The region, for maps without anything to fit: Arboga in the north-east to Hallsberg.
REGION_BOUNDS = [[58.85, 14.65], [59.55, 16.05]]
STATUS_COLOURS = {"available": "#2e7d32", "reserved": "#f9a825", "sold": "#1565c0",
                  "withdrawn": "#9e9e9e"}
NODE_COLOUR = "#6a1b9a"
APPROXIMATE_RADIUS_M = 2000


@dataclass(frozen=True)
class NodePoint:
    """A logistics node as the maps need it (plain values, no database object)."""

    name: str
    kind_label: str
    municipality: str
    lat: float
    lon: float
    approximate: bool
    note: str | None = None


@dataclass(frozen=True)
class SiteLayer:
    """The sites of one municipality as compact rows (see app/static/js/maps.js)."""

    municipality: str
    rows: list[list]


def status_labels() -> dict[str, str]:
    """The sites' status words (app/sites/labels.py) as text for the maps' JSON."""
    return {status: str(label) for status, label in site_labels.status_labels().items()}


def _base_map(height: str, bounds: Sequence[Sequence[float]] | None) -> SiteMap:
    config = current_app.config
    m = SiteMap(location=[59.2, 15.2], zoom_start=9, tiles=None, height=height,
                prefer_canvas=True, control_scale=True)
    # Our own tile server as a provider: given a bare URL, Folium searches every one of
    # xyzservices' ~300 providers for its name first (4 ms on each map page).
    tiles = xyzservices.TileProvider(name="etablera", url=config["MAP_TILE_URL"],
                                     attribution=config["MAP_TILE_ATTRIBUTION"])
    TileLayer(tiles=tiles, attr=config["MAP_TILE_ATTRIBUTION"],
              name=map_text(_("Background map")), control=False, max_zoom=19).add_to(m)
    m.fit_bounds(bounds or REGION_BOUNDS, max_zoom=14)
    return m


def _boundaries(m: folium.Map, slugs: Iterable[str] | None, name: str, weight: float,
                colour: str = "#0d47a1") -> None:
    wanted = None if slugs is None else set(slugs)
    features = [f for f in municipality_geojson()["features"]
                if wanted is None or f["properties"]["slug"] in wanted]
    if not features:
        return
    # Only the geometry goes into the map: the properties would be data for nothing.
    data = {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": f["geometry"], "properties": {}}
                         for f in features]}
    Boundaries(data, name=map_text(name), control=True, interactive=False,
                   style_function=lambda _f: {"color": colour, "weight": weight, "fill": False,
                                              "dashArray": "6 4"}).add_to(m)


def _nodes(m: folium.Map, nodes: Iterable[NodePoint]) -> None:
    approximate = _("approximate position (about ±2 km)")
    rows = [[node.lat, node.lon, node.name, node.kind_label, node.municipality,
             approximate if node.approximate else None, node.note, NODE_COLOUR,
             APPROXIMATE_RADIUS_M] for node in nodes]
    NodeLayer(rows, name=map_text(_("Logistics nodes"))).add_to(m)


def _node_legend(nodes: Sequence[NodePoint]) -> list[tuple[str, str, str]]:
    """The nodes' legend lines, drawn as their markers are: a ring, dashed where the
    position is an estimate."""
    items = []
    if not nodes or not all(node.approximate for node in nodes):
        items.append((_("Logistics node"), NODE_COLOUR, "ring"))
    if any(node.approximate for node in nodes):
        items.append((_("Logistics node, approximate position (about ±2 km)"), NODE_COLOUR,
                      "ring-dashed"))
    return items


def _legend(m: folium.Map, with_sites: bool, nodes: Sequence[NodePoint],
            statuses: Sequence[str] = STATUS_ORDER) -> None:
    items = []
    if with_sites:
        labels = status_labels()
        items = [(labels[s], STATUS_COLOURS[s], "circle") for s in statuses]
    Legend(_("Legend"), items + _node_legend(nodes)).add_to(m)


def _site_config(municipality: str, endpoint: str = "sites.show",
                 url_args: dict[str, Any] | None = None,
                 statuses: Sequence[str] = STATUS_ORDER) -> dict[str, Any]:
    """The popups' words and links; a row's status is its index in `statuses`."""
    labels = status_labels()
    return {
        "municipality": municipality,
        "url": url_for(endpoint, site_id=0, **(url_args or {})),
        "locale": str(get_locale() or "sv"),
        "statuses": [[s, labels[s], STATUS_COLOURS[s]] for s in statuses],
        "labels": {"municipality": _("Municipality"), "status": _("Status"),
                   "land_area": _("Land area"), "building_area": _("Building area"),
                   "motorway": _("Motorway junction (km)"),
                   "terminal": _("Intermodal terminal (km)"),
                   "airport": _("Cargo airport (km)")},
        # Row positions of distances to nodes whose position is an estimate: whole km.
        "estimated": [position for position, key in ((7, "motorway_km"), (8, "terminal_km"),
                                                     (9, "airport_km"))
                      if key in estimated_distances()],
    }


def _site_layers(m: folium.Map, layers: Iterable[SiteLayer], endpoint: str = "sites.show",
                 url_args: dict[str, Any] | None = None,
                 statuses: Sequence[str] = STATUS_ORDER) -> None:
    for layer in layers:
        name = f"{layer.municipality} ({len(layer.rows)})"
        SiteCluster(layer.rows, _site_config(layer.municipality, endpoint, url_args, statuses),
                    name=map_text(name)).add_to(m)


def bounds_of(points: Iterable[Sequence[float]]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of (lat, lon, …) points, or None without points."""
    lats, lons = [], []
    for point in points:
        lats.append(point[0])
        lons.append(point[1])
    if not lats:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def sites_map(layers: list[SiteLayer], nodes: Iterable[NodePoint],
              height: str = "70vh") -> MapParts:
    """The big map: a clustered layer per municipality, the nodes, boundaries, a legend."""
    nodes = list(nodes)
    bounds = bounds_of(row for layer in layers for row in layer.rows)
    m = _base_map(height, bounds)
    _boundaries(m, None, _("Municipality boundaries"), 1.5)
    _site_layers(m, layers)
    _nodes(m, nodes)
    _legend(m, with_sites=True, nodes=nodes)
    LayerControl(collapsed=False).add_to(m)
    return MapParts.of(m)


def public_sites_map(layers: list[SiteLayer], nodes: Iterable[NodePoint],
                     url_args: dict[str, Any], height: str = "60vh") -> MapParts:
    """The public catalogue's map: the listed (available) sites, each linking to its
    catalogue page (`url_args`: e.g. the language), the nodes, boundaries, a legend. Rows
    as the site map's, status index 0 (available: the only status it knows)."""
    nodes = list(nodes)
    bounds = bounds_of(row for layer in layers for row in layer.rows)
    m = _base_map(height, bounds)
    _boundaries(m, None, _("Municipality boundaries"), 1.5)
    _site_layers(m, layers, "catalogue.site", url_args, statuses=("available",))
    _nodes(m, nodes)
    _legend(m, with_sites=True, nodes=nodes, statuses=("available",))
    LayerControl(collapsed=False).add_to(m)
    return MapParts.of(m)


def site_map(name: str, lat: float, lon: float, status: str, nodes: list[NodePoint],
             height: str = "24rem", public: bool = False) -> MapParts:
    """One site with the nodes near it (`public`: the legend names only its status)."""
    points = [[lat, lon]] + [[n.lat, n.lon] for n in nodes]
    m = _base_map(height, bounds_of(points))
    _nodes(m, nodes)
    folium.CircleMarker([lat, lon], radius=10, color="#333", weight=2, fill=True,
                        fill_color=STATUS_COLOURS.get(status, "#2e7d32"), fill_opacity=0.9,
                        tooltip=folium.Tooltip(map_text(name), permanent=True)).add_to(m)
    _legend(m, with_sites=True, nodes=nodes, statuses=(status,) if public else STATUS_ORDER)
    return MapParts.of(m)


def form_map(lat_field: str, lon_field: str, position: list[float] | None,
             municipality_slug: str | None = None, height: str = "20rem") -> MapParts:
    """The site form's map: a click sets the latitude and longitude fields."""
    bounds = None
    if position:
        bounds = [[position[0] - 0.02, position[1] - 0.04], [position[0] + 0.02, position[1] + 0.04]]
    m = _base_map(height, bounds)
    _boundaries(m, None, _("Municipality boundaries"), 1.5)
    ClickToSetCoordinates(lat_field, lon_field, position).add_to(m)
    return MapParts.of(m)


@dataclass(frozen=True)
class CandidatePoint:
    """A candidate site of a lead as the lead map shows it."""

    name: str
    status: str  # proposed | visited | rejected | selected
    status_label: str
    lat: float
    lon: float


CANDIDATE_COLOURS = {"proposed": "#1565c0", "visited": "#6d4c41", "selected": "#2e7d32",
                     "rejected": "#9e9e9e"}


def lead_map(municipality_slugs: Iterable[str], nodes: Iterable[NodePoint],
             candidates: Sequence[CandidatePoint] = (), height: str = "60vh") -> MapParts:
    """The map of a lead: its preferred municipalities outlined, its candidate sites (by
    status) and the logistics nodes.

    `municipality_slugs`: e.g. ["kumla", "hallsberg"] (unknown slugs are ignored).
    `nodes`: the nodes to show (the lead page shows every one: app.sites.service.all_node_points).
    Returns MapParts: put `.header` in the page's head block, `.html` where the map goes
    and `.script` in the scripts block (see templates/maps/_embed.html).
    """
    slugs = [slug for slug in municipality_slugs if slug]
    nodes = list(nodes)
    outlines = [f for f in municipality_geojson()["features"] if f["properties"]["slug"] in slugs]
    points = [[lat, lon] for f in outlines for lon, lat in _outer_points(f["geometry"])]
    points += [[c.lat, c.lon] for c in candidates]
    m = _base_map(height, bounds_of(points) if points else bounds_of([[n.lat, n.lon] for n in nodes]))
    _boundaries(m, slugs, _("Preferred municipalities"), 3, colour="#c62828")
    _nodes(m, nodes)
    for candidate in candidates:
        label = f"{candidate.name} ({candidate.status_label})"
        folium.CircleMarker([candidate.lat, candidate.lon], radius=10, color="#333", weight=2,
                            fill=True, fill_color=CANDIDATE_COLOURS.get(candidate.status, "#1565c0"),
                            fill_opacity=0.9,
                            tooltip=folium.Tooltip(map_text(label), permanent=True)).add_to(m)
    if candidates:
        labels = {c.status: c.status_label for c in candidates}
        items = [(labels[status], colour, "circle") for status, colour in CANDIDATE_COLOURS.items()
                 if status in labels]
        Legend(_("Legend"), items + _node_legend(nodes)).add_to(m)
    else:
        _legend(m, with_sites=False, nodes=nodes)
    LayerControl(collapsed=False).add_to(m)
    return MapParts.of(m)


def _outer_points(geometry: dict) -> list[list[float]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"][0]
    return [point for polygon in geometry["coordinates"] for point in polygon[0]]


# Score bands of the match map, best first: (lowest score, colour).
SCORE_BANDS = ((80, "#1b5e20"), (50, "#f9a825"), (0, "#e65100"))


def score_colour(score: int) -> str:
    return next(colour for lowest, colour in SCORE_BANDS if score >= lowest)


def matches_map(matches: Sequence[tuple[Any, tuple[float, float]]], nodes: Iterable[NodePoint],
                preferred: Iterable[str], height: str = "60vh") -> MapParts:
    """The fitting sites of a lead coloured by score band (`matches`: (Match, (lat, lon))
    pairs), the logistics nodes and the preferred municipalities outlined. The sites go as
    one compact layer (app/static/js/maps.js draws them), like the site map: a Folium
    object per site cost ~1 ms each."""
    nodes = list(nodes)
    points = [list(position) for _match, position in matches] or [[n.lat, n.lon] for n in nodes]
    m = _base_map(height, bounds_of(points))
    _boundaries(m, [slug for slug in preferred if slug], _("Preferred municipalities"), 3,
                colour="#c62828")
    _nodes(m, nodes)
    bands = [(_("Score %(low)s–%(high)s", low=low, high=high), colour)
             for (low, colour), high in zip(SCORE_BANDS, (100, 79, 49), strict=True)]
    rows = []
    for match, (lat, lon) in matches:
        site = match.site
        band = next(i for i, (lowest, _colour) in enumerate(SCORE_BANDS) if match.score >= lowest)
        rows.append([lat, lon, site.id, band, site.land_area_m2, site.building_area_m2,
                     _("%(site)s: score %(score)s", site=site.name, score=match.score),
                     site.dist_motorway_km, site.dist_terminal_km, site.dist_airport_km])
    config = {**_site_config(""), "statuses": [[str(i), label, colour]
                                               for i, (label, colour) in enumerate(bands)]}
    config["labels"] = {**config["labels"], "status": _("Score")}
    SiteCluster(rows, config, name=map_text(_("Matching sites"))).add_to(m)
    Legend(_("Legend"), [(label, colour, "circle") for label, colour in bands]
           + _node_legend(nodes)).add_to(m)
    LayerControl(collapsed=False).add_to(m)
    return MapParts.of(m)
