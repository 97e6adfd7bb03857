"""Benchmark data generator: bulk inserts into the benchmark's own database.

Each generator is idempotent: it tops the data up to its target and skips work
already done, so repeated `make bench` runs reuse the data set.
"""

from __future__ import annotations

import random

import sqlalchemy as sa

from app.auth.models import Role, User
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db

BENCH_PASSWORD = "bench-password-2026"
USERS_PER_MUNICIPALITY = 50


def generate_users() -> str:
    existing = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    municipalities = list(db.session.scalars(sa.select(Municipality).order_by(Municipality.id)))
    target = USERS_PER_MUNICIPALITY * len(municipalities)
    if existing >= target:
        return f"users: {existing} (kept)"
    probe = User()
    probe.set_password(BENCH_PASSWORD)
    rng = random.Random(2026)
    rows = []
    for municipality in municipalities:
        for n in range(USERS_PER_MUNICIPALITY):
            role = Role.ADVISOR if n < 35 else (Role.VIEWER if n < 48 else Role.ADMIN)
            rows.append({
                "email": f"{municipality.slug}{n}@bench.example",
                "name": f"Bench {municipality.name} {n} {rng.randint(100, 999)}",
                "password_hash": probe.password_hash,
                "municipality_id": municipality.id,
                "role": role,
                "active": True,
                "locale": "sv",
                "failed_logins": 0,
            })
    db.session.execute(sa.insert(User), rows)
    db.session.commit()
    return f"users: {len(rows)} created"


def generators():
    """In order; later features append their own (leads, sites, …)."""
    return [generate_users, generate_sites, generate_api_token]


# Sites (app/sites) -------------------------------------------------------------

BENCH_SITES = 10_000
BENCH_SITE_PREFIX = "Benchmarkplats"
# Filled by generate_api_token for bench/run.py: user e-mail → raw bearer token.
BENCH_TOKENS: dict[str, str] = {}


def generate_sites() -> str:
    """10,000 sites spread over the four municipalities (inside their polygons), with
    distances, in bulk. None is withdrawn, so the map shows all of them."""
    from app.sites.geography import km_outside
    from app.sites.models import DetaljplanStatus, RailSiding, Site, SiteKind, SiteOwner, SiteStatus
    from app.sites.service import _node_positions, distances_for

    existing = db.session.scalar(sa.select(sa.func.count()).select_from(Site).where(
        Site.name.like(f"{BENCH_SITE_PREFIX}%")))
    if existing >= BENCH_SITES:
        return f"sites: {existing} (kept)"
    municipalities = {m.slug: m for m in db.session.scalars(sa.select(Municipality))}
    centres = [("orebro", 59.25, 15.20, 0.10, 0.20), ("hallsberg", 59.05, 15.12, 0.06, 0.12),
               ("kumla", 59.13, 15.14, 0.04, 0.08), ("arboga", 59.39, 15.83, 0.05, 0.10)]
    positions = _node_positions()
    rng = random.Random(4004)
    now = utcnow()
    rows = []
    for n in range(existing, BENCH_SITES):
        slug, lat0, lon0, dlat, dlon = centres[n % len(centres)]
        while True:
            lat, lon = lat0 + rng.uniform(-dlat, dlat), lon0 + rng.uniform(-dlon, dlon)
            if km_outside(slug, lat, lon) == 0.0:
                break
        kind = rng.choice(list(SiteKind))
        rows.append({
            "name": f"{BENCH_SITE_PREFIX} {n} {municipalities[slug].name}",
            "municipality_id": municipalities[slug].id, "kind": kind,
            "property_designation": f"Bench {n}:{rng.randint(1, 99)}",
            "lat": round(lat, 6), "lon": round(lon, 6), "address": f"Benchvägen {n}",
            "land_area_m2": None if kind == SiteKind.BUILDING else rng.randint(5, 300) * 1000,
            "building_area_m2": None if kind == SiteKind.LAND else rng.randint(2, 50) * 1000,
            "detaljplan_status": rng.choice([None, *DetaljplanStatus]),
            "permitted_use": "Industri, lager", "price_sek_m2": rng.choice([None, 200, 450, 900]),
            "price_public": rng.random() < 0.5, "rail_siding": rng.choice([None, *RailSiding]),
            "power_mw": rng.choice([None, 2.0, 10.0, 40.0]), "water_sewage": True,
            "status": rng.choice([SiteStatus.AVAILABLE, SiteStatus.AVAILABLE, SiteStatus.RESERVED,
                                  SiteStatus.SOLD]),
            "owner": SiteOwner.MUNICIPAL, "public": False, "version": 1,
            "created_at": now, "updated_at": now,
            **distances_for(lat, lon, positions),
        })
    for start in range(0, len(rows), 2000):
        db.session.execute(sa.insert(Site), rows[start:start + 2000])
    db.session.commit()
    return f"sites: {len(rows)} created"


def generate_api_token() -> str:
    """A fresh bearer token for the API scenarios (tokens are stored hashed)."""
    from app.auth.service import issue_api_token

    email = "orebro0@bench.example"
    user = db.session.scalar(sa.select(User).where(User.email == email))
    BENCH_TOKENS[email] = issue_api_token(user)
    db.session.commit()
    return f"api token: issued for {email}"

