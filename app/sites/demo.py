"""About 40 fictional demo sites near the region's logistics areas, inside the
municipality polygons. Identified by name; never changes an existing site."""

from __future__ import annotations

import random
from datetime import date

import sqlalchemy as sa

from app.core.service import municipality_by_slug
from app.extensions import db
from app.sites.geography import km_outside
from app.sites.models import (
    DetaljplanStatus,
    RailSiding,
    Readiness,
    Site,
    SiteKind,
    SiteOwner,
    SiteStatus,
)
from app.sites.service import _node_positions, distances_for

DEMO_NOTE = "Fiktiv demodata – platsen finns inte på riktigt."

# (area, municipality, centre lat, centre lon, number of sites, rail likely)
AREAS = [
    ("Törsjö", "orebro", 59.207, 15.190, 8, True),
    ("Palmbohult", "orebro", 59.243, 15.120, 5, False),
    ("Pilängen", "orebro", 59.226, 15.065, 5, False),
    ("Hallsbergsterminalen", "hallsberg", 59.073, 15.152, 6, True),
    ("Rala", "hallsberg", 59.058, 15.160, 5, True),
    ("Via industriområde", "kumla", 59.138, 15.118, 6, False),
    ("Arboga E18/E20", "arboga", 59.398, 15.842, 5, False),
]
KINDS = [SiteKind.LAND, SiteKind.LAND, SiteKind.BUILDING, SiteKind.LAND_WITH_BUILDING]
STATUSES = [SiteStatus.AVAILABLE] * 5 + [SiteStatus.RESERVED, SiteStatus.RESERVED, SiteStatus.SOLD,
                                         SiteStatus.WITHDRAWN]


def demo_sites() -> list[dict]:
    """The demo sites as values (deterministic)."""
    rng = random.Random(4)
    sites = []
    for area, slug, lat0, lon0, count, rail in AREAS:
        for n in range(1, count + 1):
            for _attempt in range(50):
                lat = round(lat0 + rng.uniform(-0.012, 0.012), 5)
                lon = round(lon0 + rng.uniform(-0.022, 0.022), 5)
                if km_outside(slug, lat, lon) == 0.0:
                    break
            kind = rng.choice(KINDS)
            land = None if kind == SiteKind.BUILDING else rng.choice([8, 12, 20, 35, 50, 100, 150]) * 1000
            building = (rng.choice([6, 12, 25, 35, 48]) * 1000
                        if kind != SiteKind.LAND else None)
            sparse = rng.random() < 0.35
            sites.append({
                "name": f"{area}, {'tomt' if kind == SiteKind.LAND else 'objekt'} {n} (demo)",
                "slug": slug,
                "kind": kind,
                "property_designation":
                    None if sparse else f"{area.split()[0]} {n}:{rng.randint(10, 99)} (fiktiv)",
                "lat": lat, "lon": lon,
                "address": None if sparse else f"Demovägen {n}, {area}",
                "land_area_m2": land,
                "building_area_m2": None if sparse and kind == SiteKind.LAND_WITH_BUILDING else building,
                "detaljplan_status": None if sparse else rng.choice(
                    [DetaljplanStatus.LAGA_KRAFT, DetaljplanStatus.LAGA_KRAFT,
                     DetaljplanStatus.SAMRAD, DetaljplanStatus.NONE]),
                "permitted_use": None if sparse else "Industri, lager, logistik (J, Z)",
                "price_sek_m2": None if sparse else rng.choice([150, 250, 350, 450, 600, 900]),
                "price_public": rng.random() < 0.5,
                "rail_siding": None if sparse else (
                    rng.choice([RailSiding.EXISTING, RailSiding.POSSIBLE]) if rail else
                    rng.choice([RailSiding.NONE, RailSiding.POSSIBLE])),
                "power_mw": None if sparse or rng.random() < 0.2 else rng.choice([2, 5, 10, 20, 40]),
                "water_sewage": None if sparse else True,
                "status": rng.choice(STATUSES),
                "available_from": None if sparse else date(2027, rng.randint(1, 12), 1),
                "owner": SiteOwner.PRIVATE if kind == SiteKind.BUILDING and rng.random() < 0.6
                else SiteOwner.MUNICIPAL,
                "contact_person": None if sparse else "Demo Kontaktperson",
                "public": rng.random() < 0.6,
                "description": DEMO_NOTE,
                **_matching_facts(random.Random(f"{area} {n}"), land, sparse),
            })
    return sites


def _matching_facts(rng: random.Random, land: int | None, sparse: bool) -> dict:
    """The facts matching reads beyond the basics, from a generator of their own (the other
    values stay what they were before these existed)."""
    if sparse:
        return {}
    return {
        "contiguous_area_m2": None if land is None else int(land * rng.choice([0.6, 0.8, 1.0])),
        "power_expandable_mw": rng.choice([None, 5, 10, 20]),
        "power_lead_time_months": rng.choice([6, 12, 18, 24]),
        "readiness": rng.choice([Readiness.READY, Readiness.READY, Readiness.PLANNED,
                                 Readiness.IDEA]),
        "detaljplan_id": f"DP {rng.randint(1, 400)} (fiktiv)",
    }


def seed_sites() -> list[str]:
    existing = set(db.session.scalars(sa.select(Site.name)))
    positions = _node_positions()
    created = 0
    for values in demo_sites():
        if values["name"] in existing:
            continue
        slug = values.pop("slug")
        site = Site(**values, municipality=municipality_by_slug(slug),
                    **distances_for(values["lat"], values["lon"], positions))
        db.session.add(site)
        created += 1
    total = len(existing) + created
    return [f"Demo sites (fictional): {created} created, {total - created} kept"]
