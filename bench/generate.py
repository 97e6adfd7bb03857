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
DIGEST_RECIPIENTS = 1_000  # the digest benchmark's users (bench/digests.py)


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
                "session_generation": 0,
            })
    db.session.execute(sa.insert(User), rows)
    db.session.commit()
    return f"users: {len(rows)} created"


def generate_digest_recipients() -> str:
    """Top the users up to 1,000 (advisors, viewers and a few admins; every fifth in
    English) so that the digest benchmark has 1,000 recipients."""
    existing = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    if existing >= DIGEST_RECIPIENTS:
        return f"digest recipients: {existing} users (kept)"
    municipalities = list(db.session.scalars(sa.select(Municipality).order_by(Municipality.id)))
    probe = User()
    probe.set_password(BENCH_PASSWORD)
    rng = random.Random(49)
    rows, n = [], 0
    while existing + len(rows) < DIGEST_RECIPIENTS:
        municipality = municipalities[n % len(municipalities)]
        number = 1000 + n
        rows.append({
            "email": f"{municipality.slug}{number}@bench.example",
            "name": f"Bench {municipality.name} {number} {rng.randint(100, 999)}",
            "password_hash": probe.password_hash, "municipality_id": municipality.id,
            "role": Role.ADVISOR if n % 10 < 7 else (Role.VIEWER if n % 10 < 9 else Role.ADMIN),
            "active": True, "locale": "en" if n % 5 == 0 else "sv", "session_generation": 0,
        })
        n += 1
    db.session.execute(sa.insert(User), rows)
    db.session.commit()
    return f"digest recipients: {len(rows)} users added"


def generators():
    """In order; later features append their own (leads, sites, …)."""
    return [generate_users, generate_leads, generate_sites, generate_api_token,
            generate_digest_recipients, analyse_all]


LEADS_TARGET = 100_000
ACTIVITIES_PER_LEAD = 5
FOLLOWUPS_PER_LEAD = 2
LEAD_CHUNK = 5_000
BENCH_COMPANIES = 50_000


def generate_leads() -> str:
    """100,000 leads over the four municipalities, each with 5 activities and 2
    follow-ups; every tenth lead shared with a partner. Bulk inserts in chunks,
    committed per chunk, so an interrupted run resumes where it stopped."""
    from datetime import UTC, date, datetime, timedelta

    from app.leads.companies import normalise_company_name
    from app.leads.models import (
        Activity,
        ActivityKind,
        Company,
        FollowUp,
        Lead,
        LeadShare,
        ShareLevel,
        Source,
        Stage,
    )

    existing = db.session.scalar(sa.select(sa.func.count()).select_from(Lead))
    if existing >= LEADS_TARGET:
        analyse()
        return f"leads: {existing} (kept)"
    municipalities = list(db.session.scalars(sa.select(Municipality).order_by(
        sa.case((Municipality.slug == "orebro", 0), else_=1), Municipality.id)))
    advisors = {m.id: list(db.session.scalars(sa.select(User.id).where(
        User.municipality_id == m.id, User.role == Role.ADVISOR).order_by(User.id)))
        for m in municipalities}
    companies = db.session.scalar(sa.select(sa.func.count()).select_from(Company))
    words = ["Nord", "Syd", "Väst", "Öst", "Berg", "Sjö", "Skog", "Älv", "Dal", "Slätt"]
    kinds = ["Logistik", "Lager", "Frakt", "Kyl", "Terminal", "Distribution", "Industri"]
    if companies < BENCH_COMPANIES:
        rows = []
        for n in range(companies, BENCH_COMPANIES):
            name = f"{words[n % 10]}{kinds[n % 7]} {n} AB"
            rows.append({"name": name, "name_key": normalise_company_name(name),
                         "municipality_id": municipalities[n % len(municipalities)].id,
                         "orgnr": None, "country": "Sverige", "sector": kinds[n % 7],
                         "created_at": datetime.now(UTC)})
        for start in range(0, len(rows), 10_000):
            db.session.execute(sa.insert(Company), rows[start:start + 10_000])
        db.session.commit()
    company_ids = {m.id: list(db.session.scalars(sa.select(Company.id).where(  # own registers
        Company.municipality_id == m.id).order_by(Company.id))) for m in municipalities}
    rng = random.Random(existing + 3)
    stages = list(Stage)
    sources = list(Source)
    kinds_activity = [k for k in ActivityKind if k != ActivityKind.STAGE_CHANGE]
    now = datetime.now(UTC)
    today = date.today()  # noqa: DTZ011 - benchmark data only
    for start in range(existing, LEADS_TARGET, LEAD_CHUNK):
        lead_rows = []
        for n in range(start, min(start + LEAD_CHUNK, LEADS_TARGET)):
            municipality = municipalities[n % len(municipalities)]
            owner = advisors[municipality.id][n // len(municipalities) % len(advisors[municipality.id])]
            stage = stages[rng.randrange(len(stages))]
            lead_rows.append({
                "codename": f"Bench {n}", "company_id": company_ids[municipality.id][
                    n // len(municipalities) % len(company_ids[municipality.id])]
                if n % 5 != 4 else None, "source": sources[n % len(sources)],
                "received_on": today - timedelta(days=rng.randrange(1800)), "stage": stage,
                "stage_changed_at": now - timedelta(days=rng.randrange(700)),
                "owner_id": owner, "municipality_id": municipality.id,
                "sector": kinds[n % 7], "confidential": n % 9 == 0,
                "description": f"Benchmark inquiry {n} for {kinds[n % 7].lower()} ({words[n % 10]})",
                "land_min_m2": 10_000 + n % 50 * 1000, "land_max_m2": 80_000 + n % 50 * 1000,
                "land_must": True, "building_must": False, "rail_must": False,
                "motorway_must": False, "terminal_must": False, "power_must": False,
                "water_must": False, "preferred_must": False, "start_must": False,
                "power_mw": float(n % 20), "expected_jobs": n % 300, "version": 1,
                "created_at": now, "updated_at": now,
            })
        ids = list(db.session.scalars(
            sa.insert(Lead).returning(Lead.id, sort_by_parameter_order=True), lead_rows))
        activities, followups, shares = [], [], []
        for lead_id, row in zip(ids, lead_rows, strict=True):
            for i in range(ACTIVITIES_PER_LEAD):
                activities.append({
                    "lead_id": lead_id, "kind": kinds_activity[i % len(kinds_activity)],
                    "body": f"Activity {i} of {row['codename']}", "internal": i % 2 == 0,
                    "author_id": row["owner_id"], "municipality_id": row["municipality_id"],
                    "at": now - timedelta(days=rng.randrange(700))})
            for i in range(FOLLOWUPS_PER_LEAD):
                followups.append({
                    "lead_id": lead_id, "title": f"Follow up {i}",
                    "due_on": today + timedelta(days=rng.randrange(-60, 120)),
                    "assignee_id": row["owner_id"], "created_by_id": row["owner_id"],
                    "municipality_id": row["municipality_id"], "created_at": now,
                    "done_at": now if i == 0 and lead_id % 3 == 0 else None})
            if lead_id % 10 == 0:
                partner = municipalities[(municipalities.index(next(
                    m for m in municipalities if m.id == row["municipality_id"])) + 1) % 4]
                shares.append({"lead_id": lead_id, "municipality_id": partner.id,
                               "level": ShareLevel.FULL if lead_id % 20 else ShareLevel.ANONYMISED,
                               "created_at": now, "updated_at": now})
        db.session.execute(sa.insert(Activity), activities)
        # every activity is its lead's owner's: the first is the lead's first answer
        db.session.execute(
            sa.update(Lead).where(Lead.id.in_(ids)).values(first_answered_at=sa.select(
                sa.func.min(Activity.at)).where(Activity.lead_id == Lead.id).scalar_subquery()))
        db.session.execute(sa.insert(FollowUp), followups)
        if shares:
            db.session.execute(sa.insert(LeadShare), shares)
        db.session.commit()
    analyse()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Lead))
    return f"leads: {total} (with {ACTIVITIES_PER_LEAD} activities and {FOLLOWUPS_PER_LEAD} follow-ups each)"


LEAD_TABLES = ("companies", "leads", "lead_shares", "activities", "follow_ups")


def analyse(tables: tuple[str, ...] = LEAD_TABLES) -> None:
    """VACUUM ANALYZE after bulk inserts, as autovacuum would do on a production server
    (it may be off or not have run yet here): fresh planner statistics and a visibility
    map, so counts and deep pages can be answered from the indexes alone. No tables: the
    whole database."""
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in tables or ("",):
                connection.execute(sa.text(f"VACUUM ANALYZE {table}"))


def analyse_all() -> str:
    """The last step: statistics of every table as the generators left it. Without it
    the planner saw 200 users where the digest recipients had made 1,000 (it then chose
    a scan of all users once per kanban column), and autovacuum could correct that in the
    middle of a run, changing plans between rows of the same table."""
    analyse(tables=())
    return "statistics: VACUUM ANALYZE of the whole database"


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

