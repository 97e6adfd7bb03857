"""What the site endpoints answer, as pydantic models (app/api/outputs.py): the answers are
built through them, and the OpenAPI response schemas generated from them. The GeoJSON of
10,000 sites is built from plain rows for speed and checked against its model in the
tests (tests/test_sites_api.py)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from app.api.outputs import ApiOutput, Instant
from app.sites.models import DetaljplanStatus, RailSiding, Readiness, SiteKind, SiteOwner, SiteStatus

# The distance columns as the site page explains them (app/sites/nodes.py).
DISTANCE = ("Straight-line (as the crow flies) distance in km to the nearest {}, not by road. "
            "The node's position may be an estimate (about ±2 km).")
KeyField = Literal["price", "power", "detaljplan", "rail", "areas"]  # service.KEY_FIELDS


class Completeness(ApiOutput):
    present: int
    total: int
    missing: list[KeyField]


class Site(ApiOutput):
    id: int
    name: str
    municipality: str = Field(description="The municipality's slug.")
    kind: SiteKind
    property_designation: str | None
    lat: float
    lon: float
    address: str | None
    land_area_m2: int | None
    building_area_m2: int | None
    detaljplan_status: DetaljplanStatus | None
    detaljplan_id: str | None
    detaljplan_in_force_on: date | None
    readiness: Readiness | None
    contiguous_area_m2: int | None
    permitted_use: str | None
    price_sek_m2: int | None
    price_public: bool
    rail_siding: RailSiding | None
    power_mw: float | None
    power_expandable_mw: float | None
    power_lead_time_months: int | None
    water_sewage: bool | None
    status: SiteStatus
    available_from: date | None
    owner: SiteOwner
    contact_person: str | None
    public: bool
    description: str | None
    land_area_ha: float | None
    dist_motorway_km: float | None = Field(description=DISTANCE.format("trafikplats"))
    dist_terminal_km: float | None = Field(description=DISTANCE.format("intermodal terminal"))
    dist_airport_km: float | None = Field(description=DISTANCE.format("cargo airport"))
    completeness: Completeness
    version: int
    created_at: Instant
    updated_at: Instant
    warnings: list[str] = Field(default_factory=list,
                                description="Only in answers to POST and PATCH: accepted, "
                                            "but check.")


class SitePage(ApiOutput):
    items: list[Site]
    page: int
    per_page: int
    total: int


class ConflictError(ApiOutput):
    code: Literal["conflict"]
    message: str
    current: Site


class SiteConflict(ApiOutput):
    error: ConflictError


class PointGeometry(ApiOutput):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2,
                                     description="Longitude, latitude (RFC 7946).")


class SiteFeature(ApiOutput):
    type: Literal["Feature"]
    id: int
    geometry: PointGeometry
    properties: dict[str, Any]


class SiteFeatureCollection(ApiOutput):
    type: Literal["FeatureCollection"]
    features: list[SiteFeature]


OUTPUT_MODELS = (Site, SitePage, SiteConflict, SiteFeatureCollection)
