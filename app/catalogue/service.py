"""The public site catalogue: which sites it lists (app.sites.public), its filters, the
map, the GeoJSON and the straight-line distances of a site page. Nothing here depends on
who asks: every page is the same for every visitor of a URL and language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app.caching import ProcessCache
from app.core.models import Municipality
from app.core.service import all_municipalities
from app.maps.elements import MapParts
from app.sites import service as sites
from app.sites.geography import geodesic_km
from app.sites.models import Readiness, Site
from app.sites.public import PublicSite, listed_sites
from app.sites.service import FilterInvalid

# The query parameters the catalogue reads (anything else is ignored: links from anywhere).
FILTER_KEYS = ("municipality", "min_area", "rail", "min_power", "readiness")
LANGUAGES = ("sv", "en")


@dataclass
class CatalogueFilter:
    """Municipality, minimum land area, rail siding, minimum power and readiness."""

    municipality: list[str] = field(default_factory=list)
    rail: list[str] = field(default_factory=list)
    min_area: int | None = None
    min_power: float | None = None
    readiness: list[str] = field(default_factory=list)

    def as_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {}
        for name in ("municipality", "rail", "readiness"):
            if getattr(self, name):
                args[name] = getattr(self, name)
        if self.min_area is not None:
            args["min_area"] = self.min_area
        if self.min_power is not None:
            args["min_power"] = self.min_power
        return args

    def criteria(self) -> list:
        """SQL criteria on the sites table (the listing rule is app.sites.public's)."""
        site_filter = sites.SiteFilter(municipality=self.municipality, rail=self.rail,
                                       min_area=self.min_area, min_power=self.min_power)
        criteria = sites.filter_criteria(site_filter)
        if self.readiness:
            criteria.append(Site.readiness.in_([Readiness(r) for r in self.readiness]))
        return criteria


def parse_filter(args: Mapping[str, Any]) -> CatalogueFilter:
    """The filters of a query string (the site list's rules for the ones they share);
    unknown values → FilterInvalid with a message per field."""
    shared: MultiDict[str, str] = MultiDict()
    for key in ("municipality", "rail", "min_area", "min_power"):
        for value in (args.getlist(key) if hasattr(args, "getlist") else [args.get(key)]):
            if value is not None:
                shared.add(key, value)
    errors: dict[str, list] = {}
    try:
        parsed = sites.parse_filter(shared)
    except sites.FilterInvalid as invalid:
        errors.update(invalid.errors)
        parsed = sites.SiteFilter()
    raw = args.getlist("readiness") if hasattr(args, "getlist") else [args.get("readiness")]
    readiness = [value for value in raw if value]
    if any(value not in {r.value for r in Readiness} for value in readiness):
        errors["readiness"] = [_l("Unknown value.")]
    if errors:
        raise FilterInvalid(errors)
    return CatalogueFilter(municipality=parsed.municipality, rail=parsed.rail,
                           min_area=parsed.min_area, min_power=parsed.min_power,
                           readiness=readiness)


def catalogue_sites(filt: CatalogueFilter) -> list[PublicSite]:
    return listed_sites(*filt.criteria())


def municipalities() -> list[Municipality]:
    return all_municipalities()


# ---------------------------------------------------------------- the map

_MAP_CACHE = ProcessCache(size=32)


def catalogue_map(listed: list[PublicSite], filt: CatalogueFilter, locale: str,
                  url_args: dict[str, Any]) -> MapParts:
    """The catalogue's map of `listed` (rendered once per data revision, filter and
    language in each process)."""
    from app.maps.service import SiteLayer, public_sites_map

    def render() -> MapParts:
        grouped: dict[str, list[list]] = {}
        for site in listed:
            grouped.setdefault(site.municipality, []).append([
                site.lat, site.lon, site.id, 0, site.land_area_m2,
                site.building_area_m2, site.name, site.dist_motorway_km, site.dist_terminal_km,
                site.dist_airport_km])
        layers = [SiteLayer(name, rows) for name, rows in sorted(grouped.items())]
        return public_sites_map(layers, sites.all_node_points(), url_args)

    key = (sites.map_revision(), repr(sorted(filt.as_args().items())), locale,
           repr(sorted(url_args.items())))
    return _MAP_CACHE.get(key, render)


# ---------------------------------------------------------------- a site's distances

@dataclass(frozen=True)
class NodeDistance:
    """The straight-line distance ("fågelvägen") from a site to a logistics node."""

    name: str
    kind_label: str
    municipality: str
    km: float
    approximate: bool  # the node's position is an estimate: shown in whole km


def node_distances(site: PublicSite) -> list[NodeDistance]:
    """The logistics nodes near the site (at least the three nearest), nearest first."""
    points = sites.nodes_near(site.lat, site.lon)
    found = [NodeDistance(point.name, point.kind_label, point.municipality,
                          round(geodesic_km((site.lat, site.lon), (point.lat, point.lon)), 1),
                          point.approximate) for point in points]
    return sorted(found, key=lambda distance: (distance.km, distance.name))


# ---------------------------------------------------------------- GeoJSON

def geojson(listed: list[PublicSite], site_url, inquiry_url) -> dict[str, Any]:
    """The listed sites as a GeoJSON FeatureCollection ([lon, lat], RFC 7946) of their
    public facts; `site_url(id)` and `inquiry_url(id)` give each feature's links."""
    features = []
    for site in listed:
        properties = {name: value for name, value in vars(site).items()
                      if name not in ("lat", "lon")}
        properties["available_from"] = (site.available_from.isoformat()
                                        if site.available_from else None)
        properties["url"] = site_url(site.id)
        properties["inquiry_url"] = inquiry_url(site.id)
        features.append({"type": "Feature", "id": site.id,
                         "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def inquiry_url(site_id: int, **args: Any) -> str:
    """The public inquiry form about a site (app/intake)."""
    return url_for("intake.inquiry", site=int(site_id), **args)
