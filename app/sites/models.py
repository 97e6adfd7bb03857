"""Sites (land and buildings the municipalities offer), logistics nodes, and the
geocoder's cache and cross-process throttle."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.core.models import Municipality
from app.db_types import enum_column
from app.extensions import Model


class SiteKind(enum.StrEnum):
    LAND = "land"
    BUILDING = "building"
    LAND_WITH_BUILDING = "land_with_building"


class DetaljplanStatus(enum.StrEnum):
    """The detaljplan's stage under PBL: none; a positive planbesked; consultation;
    review; adopted; in force (laga kraft)."""

    NONE = "none"
    PLANBESKED = "planbesked"
    SAMRAD = "samrad"
    GRANSKNING = "granskning"
    ANTAGEN = "antagen"
    LAGA_KRAFT = "laga_kraft"


class Readiness(enum.StrEnum):
    """How soon a company can start: ready to build, planned (plan and services on their
    way), an idea (land the municipality could develop)."""

    READY = "ready"
    PLANNED = "planned"
    IDEA = "idea"


class RailSiding(enum.StrEnum):
    EXISTING = "existing"
    POSSIBLE = "possible"
    NONE = "none"


class SiteStatus(enum.StrEnum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    SOLD = "sold"
    WITHDRAWN = "withdrawn"


class SiteOwner(enum.StrEnum):
    MUNICIPAL = "municipal"
    PRIVATE = "private"


class NodeKind(enum.StrEnum):
    INTERMODAL_TERMINAL = "intermodal_terminal"
    MARSHALLING_YARD = "marshalling_yard"
    CARGO_AIRPORT = "cargo_airport"
    MOTORWAY_JUNCTION = "motorway_junction"
    RAIL_STATION = "rail_station"


class NodeAccuracy(enum.StrEnum):
    PUBLISHED = "published"
    APPROXIMATE = "approximate"


class Site(Model):
    """A plot or building a municipality offers. Distances to the nearest nodes are
    derived (computed on save and when nodes change), so they carry no version bump."""

    __tablename__ = "sites"
    __table_args__ = (
        sa.Index("ix_sites_municipality_status", "municipality_id", "status"),
        sa.Index("ix_sites_updated_at", "updated_at"),  # sites_revision without a scan
        sa.Index("ix_sites_name_id", "name", "id"),  # pages of the list in name order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind))
    property_designation: Mapped[str | None] = mapped_column(sa.String(120))
    lat: Mapped[float] = mapped_column(sa.Float)
    lon: Mapped[float] = mapped_column(sa.Float)
    address: Mapped[str | None] = mapped_column(sa.String(200))
    land_area_m2: Mapped[int | None] = mapped_column(sa.Integer)
    building_area_m2: Mapped[int | None] = mapped_column(sa.Integer)
    detaljplan_status: Mapped[DetaljplanStatus | None] = mapped_column(enum_column(DetaljplanStatus))
    detaljplan_id: Mapped[str | None] = mapped_column(sa.String(60))  # the plan's designation
    detaljplan_in_force_on: Mapped[date | None] = mapped_column(sa.Date)
    readiness: Mapped[Readiness | None] = mapped_column(enum_column(Readiness, 16))
    contiguous_area_m2: Mapped[int | None] = mapped_column(sa.Integer)  # largest single piece
    permitted_use: Mapped[str | None] = mapped_column(sa.String(200))
    price_sek_m2: Mapped[int | None] = mapped_column(sa.Integer)
    price_public: Mapped[bool] = mapped_column(default=False)
    rail_siding: Mapped[RailSiding | None] = mapped_column(enum_column(RailSiding))
    power_mw: Mapped[float | None] = mapped_column(sa.Float)
    # More power obtainable (MW on top of power_mw) and how many months that takes.
    power_expandable_mw: Mapped[float | None] = mapped_column(sa.Float)
    power_lead_time_months: Mapped[int | None] = mapped_column(sa.Integer)
    water_sewage: Mapped[bool | None]
    status: Mapped[SiteStatus] = mapped_column(enum_column(SiteStatus), default=SiteStatus.AVAILABLE)
    available_from: Mapped[date | None] = mapped_column(sa.Date)
    owner: Mapped[SiteOwner] = mapped_column(enum_column(SiteOwner), default=SiteOwner.MUNICIPAL)
    contact_person: Mapped[str | None] = mapped_column(sa.String(120))
    public: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str | None] = mapped_column(sa.Text)
    dist_motorway_km: Mapped[float | None] = mapped_column(sa.Float)
    dist_terminal_km: Mapped[float | None] = mapped_column(sa.Float)
    dist_airport_km: Mapped[float | None] = mapped_column(sa.Float)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipality: Mapped[Municipality] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Site {self.id} {self.name!r}>"

    @property
    def land_area_ha(self) -> float | None:
        return None if self.land_area_m2 is None else self.land_area_m2 / 10_000


class LogisticsNode(Model):
    """A terminal, yard, airport, junction or station; reference data loaded by a migration."""

    __tablename__ = "logistics_nodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NodeKind] = mapped_column(enum_column(NodeKind))
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    lat: Mapped[float] = mapped_column(sa.Float)
    lon: Mapped[float] = mapped_column(sa.Float)
    accuracy: Mapped[NodeAccuracy] = mapped_column(enum_column(NodeAccuracy))
    note: Mapped[str | None] = mapped_column(sa.String(300))
    version: Mapped[int] = mapped_column(default=1)

    municipality: Mapped[Municipality] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<LogisticsNode {self.name!r}>"


class GeocodeResult(Model):
    """A cached answer of the geocoder (lat/lon empty when it found nothing)."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(sa.String(300), unique=True)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    display_name: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GeocoderThrottle(Model):
    """One row: when the application last asked the geocoder. Taken under a lock so that
    all processes together send at most one request per second."""

    __tablename__ = "geocoder_throttle"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_request_at: Mapped[datetime | None]
