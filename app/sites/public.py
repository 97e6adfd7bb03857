"""What the public may see of the sites: the catalogue's one rule and its one set of facts.

A site is *listed* (public catalogue, its GeoJSON, the inquiry form's "about this site")
when its municipality lets it be published (`public`) and it is `available`: reserved,
sold and withdrawn sites are not listed. This is a deliberate second way to read sites
beside app.scope: for visitors who are not signed in, and only through `PublicSite`,
which carries the public facts alone — never the description, the contact person, an
unpublished price, power expansion plans, reservations or anything about leads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.input_rules import is_id
from app.sites.models import Site, SiteStatus


def public_site_filter() -> ColumnElement[bool]:
    """SQL criterion of the listed sites: may be published and available."""
    return sa.and_(Site.public.is_(True), Site.status == SiteStatus.AVAILABLE)


def listed_site(site_id: int) -> Site | None:
    """The site if it is listed in the public catalogue, else None (as for an unknown id)."""
    if not is_id(site_id):
        return None
    return db.session.scalar(sa.select(Site).where(Site.id == site_id, public_site_filter()))


@dataclass(frozen=True)
class PublicSite:
    """The public facts of a listed site (the price only where the site publishes it)."""

    id: int
    name: str
    municipality: str
    municipality_slug: str
    kind: str
    lat: float
    lon: float
    address: str | None
    property_designation: str | None
    land_area_m2: int | None
    contiguous_area_m2: int | None
    building_area_m2: int | None
    price_sek_m2: int | None
    rail_siding: str | None
    power_mw: float | None
    water_sewage: bool | None
    readiness: str | None
    detaljplan: str | None
    permitted_use: str | None
    available_from: date | None
    dist_motorway_km: float | None
    dist_terminal_km: float | None
    dist_airport_km: float | None


def _value(enum_value: Any) -> str | None:
    return None if enum_value is None else str(enum_value.value)


def public_facts(site: Site) -> PublicSite:
    """The public facts of `site` (which the caller found listed)."""
    return PublicSite(
        id=site.id, name=site.name, municipality=site.municipality.name,
        municipality_slug=site.municipality.slug, kind=site.kind.value,
        lat=round(site.lat, 6), lon=round(site.lon, 6), address=site.address,
        property_designation=site.property_designation, land_area_m2=site.land_area_m2,
        contiguous_area_m2=site.contiguous_area_m2, building_area_m2=site.building_area_m2,
        price_sek_m2=site.price_sek_m2 if site.price_public else None,
        rail_siding=_value(site.rail_siding), power_mw=site.power_mw,
        water_sewage=site.water_sewage, readiness=_value(site.readiness),
        detaljplan=_value(site.detaljplan_status), permitted_use=site.permitted_use,
        available_from=site.available_from, dist_motorway_km=site.dist_motorway_km,
        dist_terminal_km=site.dist_terminal_km, dist_airport_km=site.dist_airport_km)


def listed_sites(*criteria: ColumnElement[bool]) -> list[PublicSite]:
    """The listed sites meeting `criteria`, by municipality and name, as public facts."""
    from app.core.models import Municipality

    statement = (sa.select(Site).join(Municipality, Municipality.id == Site.municipality_id)
                 .where(public_site_filter(), *criteria)
                 .order_by(Municipality.name, Site.name, Site.id))
    return [public_facts(site) for site in db.session.scalars(statement)]
