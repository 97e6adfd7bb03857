"""Benchmark data generator: bulk inserts into the benchmark's own database.

Each generator is idempotent: it tops the data up to its target and skips work
already done, so repeated `make bench` runs reuse the data set.
"""

from __future__ import annotations

import random

import sqlalchemy as sa

from app.auth.models import Role, User
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
    return [generate_users]
