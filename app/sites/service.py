"""The rules of the site inventory: who edits, what a valid site is, distances,
completeness, filters, and the logistics nodes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit, scope
from app.caching import ProcessCache, table_revision
from app.clock import utcnow
from app.core.models import Municipality
from app.core.service import all_municipalities
from app.extensions import db
from app.input_rules import FieldErrors, InputRejected, parse_typed_number
from app.locking import update_versioned
from app.sites.geography import check_position, nearest_km
from app.sites.labels import key_field_labels, node_kind_labels
from app.sites.models import (
    LogisticsNode,
    NodeAccuracy,
    NodeKind,
    RailSiding,
    Site,
    SiteKind,
    SiteStatus,
)
from app.sites.nodes import all_nodes
from app.viewer import Viewer

# The columns a client may write, in form and API order (municipality as a slug).
EDITABLE_FIELDS = (
    "name", "municipality", "kind", "property_designation", "lat", "lon", "address",
    "land_area_m2", "building_area_m2", "detaljplan_status", "permitted_use", "price_sek_m2",
    "price_public", "rail_siding", "power_mw", "water_sewage", "status", "available_from",
    "owner", "contact_person", "public", "description", "contiguous_area_m2",
    "power_expandable_mw", "power_lead_time_months", "readiness", "detaljplan_id",
    "detaljplan_in_force_on",
)
DESCRIPTION_MAX = 5000
MAX_INT = 2_000_000_000
FILTER_MAX = 1_000_000_000_000
AREA_FILTER_MAX = 2_147_483_647  # areas are 32-bit integer columns (PostgreSQL refuses more)
NEARBY_NODE_KM = 30.0


# ---------------------------------------------------------------- permissions

def can_create_sites(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.is_admin or user.is_advisor))


def can_edit_site(user: Viewer, site: Site) -> bool:
    """Advisors of the site's municipality and admins; viewers never."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_advisor and user.municipality_id == site.municipality_id)


def creatable_municipalities(user: Viewer) -> list[Municipality]:
    """Where `user` may put a site: admins anywhere, advisors in their own municipality."""
    if user.is_admin:
        return all_municipalities()
    if user.is_advisor:
        return [m for m in all_municipalities() if m.id == user.municipality_id]
    return []


# ---------------------------------------------------------------- validation

class NotAllowed(Exception):
    """The user may not do this to this site."""


def validate_site(actor: Viewer, values: Mapping[str, Any]) -> list:
    """Domain rules beyond types: municipality allowed, position inside it, numbers not
    negative. Raises FieldErrors; returns warnings (accepted, to be shown)."""
    errors: dict[str, list] = {}
    municipality: Municipality | None = values.get("municipality")
    if municipality is not None and municipality.id not in {
            m.id for m in creatable_municipalities(actor)}:
        errors.setdefault("municipality", []).append(
            _l("You can only add and edit sites of your own municipality."))
    for name in ("land_area_m2", "building_area_m2", "price_sek_m2", "power_mw"):
        value = values.get(name)
        if value is not None and (not math.isfinite(value) or value < 0):
            errors.setdefault(name, []).append(_l("Must be a number not below zero."))
    warnings: list = []
    lat, lon = values.get("lat"), values.get("lon")
    if municipality is not None and lat is not None and lon is not None:
        names = {m.slug: m.name for m in all_municipalities()}
        check = check_position(municipality.slug, municipality.name, lat, lon, names)
        if check.errors:
            errors.setdefault("lat", []).extend(check.errors)
        warnings.extend(check.warnings)
    if errors:
        raise FieldErrors(errors)
    return warnings


# ---------------------------------------------------------------- distances

def _node_positions() -> dict[NodeKind, list[tuple[float, float]]]:
    positions: dict[NodeKind, list[tuple[float, float]]] = {}
    for kind, lat, lon in db.session.execute(
            sa.select(LogisticsNode.kind, LogisticsNode.lat, LogisticsNode.lon)):
        positions.setdefault(kind, []).append((lat, lon))
    return positions


def distances_for(lat: float, lon: float,
                  positions: dict[NodeKind, list[tuple[float, float]]] | None = None) -> dict:
    """Distances in km (0.1) to the nearest motorway junction, intermodal terminal and
    cargo airport, as stored on a site."""
    positions = _node_positions() if positions is None else positions
    point = (lat, lon)
    return {
        "dist_motorway_km": nearest_km(point, positions.get(NodeKind.MOTORWAY_JUNCTION, [])),
        "dist_terminal_km": nearest_km(point, positions.get(NodeKind.INTERMODAL_TERMINAL, [])),
        "dist_airport_km": nearest_km(point, positions.get(NodeKind.CARGO_AIRPORT, [])),
    }


def recompute_all_distances() -> int:
    """After a node changed: every site's distances again (derived data, no version bump)."""
    positions = _node_positions()
    rows = db.session.execute(sa.select(Site.id, Site.lat, Site.lon)).all()
    updates = [{"b_id": site_id, **distances_for(lat, lon, positions)} for site_id, lat, lon in rows]
    if updates:
        table = cast(sa.Table, Site.__table__)
        db.session.execute(
            table.update().where(table.c.id == sa.bindparam("b_id")).values(
                dist_motorway_km=sa.bindparam("dist_motorway_km"),
                dist_terminal_km=sa.bindparam("dist_terminal_km"),
                dist_airport_km=sa.bindparam("dist_airport_km")),
            updates, execution_options={"synchronize_session": False})
    return len(updates)


# ---------------------------------------------------------------- completeness

KEY_FIELDS = ("price", "power", "detaljplan", "rail", "areas")


def _areas_missing(kind: SiteKind | str | None, land: int | None, building: int | None) -> bool:
    if kind == SiteKind.BUILDING:
        return building is None
    if kind == SiteKind.LAND:
        return land is None
    return land is None or building is None


@dataclass(frozen=True)
class Completeness:
    """How many of the key facts companies ask for a site records, and which are missing."""

    present: int
    total: int
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.total)

    @property
    def missing_labels(self) -> list[str]:
        labels = key_field_labels()
        return [str(labels[key]) for key in self.missing]


def completeness(site: Site) -> Completeness:
    missing = [key for key, absent in (
        ("price", site.price_sek_m2 is None),
        ("power", site.power_mw is None),
        ("detaljplan", site.detaljplan_status is None),
        ("rail", site.rail_siding is None),
        ("areas", _areas_missing(site.kind, site.land_area_m2, site.building_area_m2)),
    ) if absent]
    return Completeness(len(KEY_FIELDS) - len(missing), len(KEY_FIELDS), tuple(missing))


def incomplete_criterion() -> sa.ColumnElement[bool]:
    """SQL: the site lacks at least one key fact (the same rule as `completeness`)."""
    areas_missing = sa.or_(
        sa.and_(Site.kind == SiteKind.BUILDING, Site.building_area_m2.is_(None)),
        sa.and_(Site.kind == SiteKind.LAND, Site.land_area_m2.is_(None)),
        sa.and_(Site.kind == SiteKind.LAND_WITH_BUILDING,
                sa.or_(Site.land_area_m2.is_(None), Site.building_area_m2.is_(None))),
    )
    return sa.or_(Site.price_sek_m2.is_(None), Site.power_mw.is_(None),
                  Site.detaljplan_status.is_(None), Site.rail_siding.is_(None), areas_missing)


# ---------------------------------------------------------------- filters

class FilterInvalid(Exception):
    def __init__(self, errors: dict[str, list]) -> None:
        super().__init__("invalid filter")
        self.errors = errors


@dataclass
class SiteFilter:
    """The filters of the list, the map, the export and the API (query string)."""

    municipality: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    rail: list[str] = field(default_factory=list)
    min_area: int | None = None
    min_power: float | None = None
    incomplete: bool = False
    q: str = ""

    def as_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {}
        for name in ("municipality", "status", "kind", "rail"):
            if getattr(self, name):
                args[name] = getattr(self, name)
        if self.min_area is not None:
            args["min_area"] = self.min_area
        if self.min_power is not None:
            args["min_power"] = self.min_power
        if self.incomplete:
            args["incomplete"] = "1"
        if self.q:
            args["q"] = self.q
        return args


def _number(raw: str | None, name: str, errors: dict, whole: bool = False,
            maximum: float = FILTER_MAX) -> Any:
    """A filter's number as typed ("50 000", "5,5": the forms' parser); a clear message
    for anything else, never a filter silently dropped."""
    try:
        value = parse_typed_number(raw, whole=whole)
    except InputRejected as rejected:
        errors[name] = [rejected.message]
        return None
    if value is not None and not 0 <= value <= maximum:
        errors[name] = [_l("Must be a number not below zero.")]
        return None
    return value


def parse_filter(args: Mapping[str, Any]) -> SiteFilter:
    """Read filters from a MultiDict (request.args); unknown values → FilterInvalid."""
    errors: dict[str, list] = {}
    known = {
        "municipality": {m.slug for m in all_municipalities()},
        "status": {s.value for s in SiteStatus},
        "kind": {k.value for k in SiteKind},
        "rail": {r.value for r in RailSiding},
    }
    values: dict[str, Any] = {}
    for name, allowed in known.items():
        raw = args.getlist(name) if hasattr(args, "getlist") else args.get(name) or []
        chosen = [value for value in raw if value]
        if any(value not in allowed for value in chosen):
            errors[name] = [_l("Unknown value.")]
        values[name] = [value for value in chosen if value in allowed]
    values["min_area"] = _number(args.get("min_area"), "min_area", errors, whole=True,
                                 maximum=AREA_FILTER_MAX)
    values["min_power"] = _number(args.get("min_power"), "min_power", errors)
    incomplete = args.get("incomplete") or ""
    if incomplete not in ("", "0", "1"):  # the checkbox sends 1; links and the API say 1 or 0
        errors["incomplete"] = [_l("Unknown value.")]
    values["incomplete"] = incomplete == "1"
    # Control characters and lone surrogates cannot be searched for (PostgreSQL refuses NUL).
    values["q"] = "".join(c for c in (args.get("q") or "")
                          if ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF).strip()[:100]
    if errors:
        raise FilterInvalid(errors)
    return SiteFilter(**values)


def filter_criteria(filt: SiteFilter, default_hide_withdrawn: bool = False) -> list:
    """SQL criteria for `filt` on the sites table (scope not included)."""
    criteria: list = []
    if filt.municipality:
        criteria.append(Site.municipality_id.in_(
            sa.select(Municipality.id).where(Municipality.slug.in_(filt.municipality))))
    if filt.status:
        criteria.append(Site.status.in_([SiteStatus(s) for s in filt.status]))
    elif default_hide_withdrawn:
        criteria.append(Site.status != SiteStatus.WITHDRAWN)
    if filt.kind:
        criteria.append(Site.kind.in_([SiteKind(k) for k in filt.kind]))
    if filt.rail:
        criteria.append(Site.rail_siding.in_([RailSiding(r) for r in filt.rail]))
    if filt.min_area is not None:
        criteria.append(Site.land_area_m2 >= filt.min_area)
    if filt.min_power is not None:
        criteria.append(Site.power_mw >= filt.min_power)
    if filt.incomplete:
        criteria.append(incomplete_criterion())
    if filt.q:
        pattern = f"%{filt.q.lower()}%"
        criteria.append(sa.or_(
            sa.func.lower(Site.name).like(pattern),
            sa.func.lower(sa.func.coalesce(Site.property_designation, "")).like(pattern),
            sa.func.lower(sa.func.coalesce(Site.address, "")).like(pattern)))
    return criteria


def filtered_sites(user: Viewer, filt: SiteFilter, default_hide_withdrawn: bool = False) -> sa.Select:
    """The visible sites matching `filt` (through app.scope), ordered by name."""
    return (scope.select_visible(user, Site).where(*filter_criteria(filt, default_hide_withdrawn))
            .order_by(Site.name, Site.id))


# ---------------------------------------------------------------- saving

def site_values(site: Site) -> dict[str, Any]:
    """The editable values of a site, JSON-safe, municipality as its slug (audit, API, 409)."""
    values = {}
    for name in EDITABLE_FIELDS:
        value = site.municipality.slug if name == "municipality" else getattr(site, name)
        values[name] = audit.jsonable(value)
    return values


def _columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values → column values; coordinates to 6 decimals (about 0.1 m)."""
    columns = {name: value for name, value in values.items() if name != "municipality"}
    for name in ("lat", "lon"):
        if columns.get(name) is not None:
            columns[name] = round(columns[name], 6)
    if "municipality" in values:
        columns["municipality_id"] = values["municipality"].id
    return columns


def create_site(actor: Viewer, values: Mapping[str, Any]) -> tuple[Site, list]:
    """Create a site from typed values (municipality as a Municipality); returns the site
    and warnings. Raises FieldErrors or NotAllowed; commits with its audit event."""
    if not can_create_sites(actor):
        raise NotAllowed()
    warnings = validate_site(actor, values)
    columns = _columns(values)
    site = Site(**columns, **distances_for(values["lat"], values["lon"]))
    db.session.add(site)
    db.session.flush()
    db.session.refresh(site)
    audit.record(actor, "site.create", "site", site.id, after=site_values(site),
                 municipality_id=site.municipality_id)
    db.session.commit()
    return site, warnings


def _check_reserved_status(site: Site, values: Mapping[str, Any]) -> None:
    """While a reservation is in force the site's status follows it, not a hand edit."""
    from app.reservations.service import active_reservation

    if "status" not in values or SiteStatus(values["status"]) == site.status:
        return
    reservation = active_reservation(site.id)
    if reservation is not None:
        raise FieldErrors({"status": [_l(
            "The site is reserved until %(end)s: its status follows the reservation (extend, "
            "cancel or convert it on the lead's candidate).",
            end=reservation.valid_until.isoformat())]})


def update_site(actor: Viewer, site: Site, submitted_version: int | None,
                values: Mapping[str, Any]) -> list:
    """Save an edit that started from `submitted_version`. Raises NotAllowed, FieldErrors
    or app.locking.StaleVersion (nothing stored); returns warnings."""
    if not can_edit_site(actor, site):
        raise NotAllowed()
    merged = {**{name: getattr(site, name) for name in EDITABLE_FIELDS if name != "municipality"},
              "municipality": site.municipality, **values}
    _check_reserved_status(site, values)
    warnings = validate_site(actor, merged)
    before = site_values(site)
    columns = _columns(values)
    if "lat" in values or "lon" in values:
        columns.update(distances_for(merged["lat"], merged["lon"]))
    columns["updated_at"] = utcnow()
    update_versioned(site, submitted_version, columns)
    old, new = audit.changes(before, site_values(site))
    audit.record(actor, "site.update", "site", site.id, before=old, after=new,
                 municipality_id=site.municipality_id)
    db.session.commit()
    return warnings


def site_history(site: Site) -> list:
    from app.core.models import AuditEvent

    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "site",
                                    AuditEvent.object_id == site.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(50)))


# ---------------------------------------------------------------- nodes

def node_point(node: LogisticsNode):
    from app.maps.service import NodePoint

    return NodePoint(name=node.name, kind_label=str(node_kind_labels()[node.kind.value]),
                     municipality=node.municipality.name, lat=node.lat, lon=node.lon,
                     approximate=node.accuracy == NodeAccuracy.APPROXIMATE, note=node.note)


def all_node_points() -> list:
    return [node_point(node) for node in all_nodes()]


def nodes_near(lat: float, lon: float, km: float = NEARBY_NODE_KM) -> list:
    """Nodes within `km` of a point (at least the three nearest), as map points."""
    from app.sites.geography import geodesic_km

    ranked = sorted(all_nodes(), key=lambda node: geodesic_km((lat, lon), (node.lat, node.lon)))
    near = [n for i, n in enumerate(ranked) if i < 3 or geodesic_km((lat, lon), (n.lat, n.lon)) <= km]
    return [node_point(node) for node in near]


def node_values(node: LogisticsNode) -> dict[str, Any]:
    return audit.jsonable({
        "kind": node.kind, "name": node.name, "municipality": node.municipality.slug,
        "lat": node.lat, "lon": node.lon, "accuracy": node.accuracy, "note": node.note})


def save_node(actor: Viewer, node: LogisticsNode | None, submitted_version: int | None,
              values: Mapping[str, Any]) -> LogisticsNode:
    """Create or edit a node (admins), then recompute every site's distances.
    Raises FieldErrors (position outside its municipality) or StaleVersion."""
    municipality = values["municipality"]
    check = check_position(municipality.slug, municipality.name, values["lat"], values["lon"],
                           {m.slug: m.name for m in all_municipalities()})
    if check.errors:
        raise FieldErrors({"lat": check.errors})
    columns = _columns(values)
    if node is None:
        node = LogisticsNode(**columns)
        db.session.add(node)
        db.session.flush()
        db.session.refresh(node)
        audit.record(actor, "node.create", "logistics_node", node.id, after=node_values(node))
    else:
        before = node_values(node)
        update_versioned(node, submitted_version, columns)
        old, new = audit.changes(before, node_values(node))
        audit.record(actor, "node.update", "logistics_node", node.id, before=old, after=new)
    recompute_all_distances()
    db.session.commit()
    return node


def delete_node(actor: Viewer, node: LogisticsNode) -> None:
    audit.record(actor, "node.delete", "logistics_node", node.id, before=node_values(node))
    db.session.delete(node)
    db.session.flush()
    recompute_all_distances()
    db.session.commit()


# ---------------------------------------------------------------- maps

STATUS_INDEX = {status: i for i, status in enumerate(["available", "reserved", "sold", "withdrawn"])}


def _map_columns() -> list:
    """The columns of a map row, read as plain values (status as its string)."""
    table = Site.__table__
    return [table.c.municipality_id, table.c.lat, table.c.lon, table.c.id,
            sa.type_coerce(table.c.status, sa.String), table.c.land_area_m2,
            table.c.building_area_m2, table.c.name, table.c.dist_motorway_km,
            table.c.dist_terminal_km, table.c.dist_airport_km]


def map_layers(user: Viewer, filt: SiteFilter):
    """The visible sites matching `filt` as compact rows, one layer per municipality.

    A Core query of plain columns (no ORM objects, no enum conversion): 10,000 sites must
    render in well under 150 ms.
    """
    from app.maps.service import SiteLayer

    statement = sa.select(*_map_columns()).where(
        scope.visible_filter(user, Site), *filter_criteria(filt, default_hide_withdrawn=True))
    names = {m.id: m.name for m in all_municipalities()}
    grouped: dict[int, list[list]] = {m_id: [] for m_id in names}
    index = STATUS_INDEX
    for m_id, lat, lon, site_id, status, land, building, name, d_mw, d_term, d_air in \
            db.session.execute(statement):
        # Stored coordinates have at most 6 decimals (see _columns): no rounding needed here.
        grouped[m_id].append([lat, lon, site_id, index[status], land, building, name, d_mw,
                              d_term, d_air])
    return [SiteLayer(names[m_id], rows) for m_id, rows in
            sorted(grouped.items(), key=lambda item: names[item[0]]) if rows or not filt.municipality]


def sites_revision() -> tuple:
    """Changes whenever a site is added or saved (sites are withdrawn, never deleted)."""
    return table_revision(Site)


def map_revision() -> tuple:
    """Changes whenever anything on the site map changes: a site (sites_revision), a node
    added, edited or deleted (which also recomputes distances)."""
    nodes = sa.select(sa.func.count(LogisticsNode.id), sa.func.coalesce(sa.func.sum(
        LogisticsNode.version), 0), sa.func.max(LogisticsNode.id))
    return (*sites_revision(), *db.session.execute(nodes).one())


_MAP_CACHE = ProcessCache(size=32)


def site_map_page(user: Viewer, filt: SiteFilter, locale: str) -> tuple[Any, int]:
    """The rendered big map and its number of sites, cached per process by what decides
    its content: the data's revision, the user's scope class, the filter and the locale.
    10,000 sites take about 100 ms to read and render; a cached map a few milliseconds."""
    from app.maps.service import sites_map

    def render() -> tuple[Any, int]:
        layers = map_layers(user, filt)
        return sites_map(layers, all_node_points()), sum(len(layer.rows) for layer in layers)

    key = (map_revision(), user.role, user.municipality_id, repr(sorted(filt.as_args().items())),
           locale)
    return _MAP_CACHE.get(key, render)


