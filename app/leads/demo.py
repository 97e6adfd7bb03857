"""Fictional demo leads: about 40 over all stages, owners in all four municipalities,
some confidential, some shared at each level, with activities and follow-ups.

Idempotent: a lead is identified by its codename; existing leads (and their
edits) are left alone, and their shares, activities and follow-ups are created
only together with the lead itself.
"""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from stdnum import luhn

from app.auth.demo import demo_email
from app.auth.service import find_user_by_email
from app.clock import local_today, utcnow
from app.core.service import municipality_by_slug
from app.extensions import db
from app.leads.commands import CODENAME_WORDS
from app.leads.companies import build_company, normalise_company_name
from app.leads.models import (
    Activity,
    ActivityKind,
    Company,
    FollowUp,
    Lead,
    LeadShare,
    LostReason,
    ShareLevel,
    ShareResponse,
    Source,
    Stage,
)

COMPANIES = [
    "Nordfrakt Lager AB", "Bergslagens Kyllogistik AB", "Mälardalens Paketcentral AB",
    "Svealand Batteri AB", "Hjälmarens Livsmedelsdistribution AB", "Tiveden Trävaror AB",
    "Kilsbergens E-handelslager AB", "Närke Reservdelscentrum AB", "Ralaterminalen Frakt AB",
    "Vätterns Dagligvarulager AB", "Arbogaån Maskinteknik AB", "Kvarnbergets Byggvaror AB",
    "Logistica Nordica GmbH", "Baltic Rail Cargo Oy", "Örebro Pallcentral AB",
    "Tysslinge Förpackning AB", "Kumlasjön Textilservice AB", "Glanshammar Solenergi AB",
    "Mellansvenska Kylcentralen AB", "Hallsbergs Containerservice AB",
]
SECTORS = ["Lager", "E-handel", "Livsmedelsdistribution", "Tillverkning", "Batteritillverkning",
           "Järnvägsgods", "Byggmaterial", "Kyl- och fryslager", "Återvinning", "Fordonsdelar"]
SLUGS = ["orebro", "hallsberg", "kumla", "arboga"]
LEADS_WANTED = 40


def fictional_orgnr(n: int) -> str:
    """A made-up aktiebolag number (559…) with a correct check digit."""
    digits = f"559{n:06d}"
    return f"{digits[:6]}-{digits[6:]}{luhn.calc_check_digit(digits)}"


def _company(index: int, municipality_id: int) -> Company:
    """The demo company `index` in the municipality's own register (made if missing)."""
    name = COMPANIES[index % len(COMPANIES)]
    existing = db.session.scalar(sa.select(Company).where(
        Company.municipality_id == municipality_id,
        Company.name_key == normalise_company_name(name)).limit(1))
    if existing is not None:
        return existing
    company = build_company({"name": name, "orgnr": fictional_orgnr(900 + index),
                             "country": "Tyskland" if "GmbH" in name else (
                                 "Finland" if "Oy" in name else "Sverige"),
                             "sector": SECTORS[index % len(SECTORS)]}, municipality_id)
    db.session.add(company)
    db.session.flush()
    return company


def seed_leads() -> list[str]:
    found = {slug: find_user_by_email(demo_email(slug)) for slug in SLUGS}
    advisors = {slug: user for slug, user in found.items() if user is not None}
    if len(advisors) < len(SLUGS):
        return ["Demo leads: skipped (demo users missing)"]
    rng = random.Random(2026)
    today = local_today()
    now = utcnow()
    stages = list(Stage)
    created = 0
    for n in range(LEADS_WANTED):
        codename = f"Projekt {CODENAME_WORDS[n]}"
        slug = SLUGS[n % 4]
        owner = advisors[slug]
        if db.session.scalar(sa.select(Lead.id).where(
                Lead.municipality_id == owner.municipality_id,
                Lead.codename == codename)) is not None:
            continue
        stage = stages[(n + n // 4) % len(stages)]  # every owner gets every stage
        received = today - timedelta(days=5 + (n * 7) % 200)
        lead = Lead(
            codename=codename, source=list(Source)[n % len(Source)], received_on=received,
            stage=stage, stage_changed_at=now - timedelta(days=(n * 3) % 60),
            owner_id=owner.id, municipality_id=owner.municipality_id,
            sector=SECTORS[n % len(SECTORS)], confidential=n % 6 == 5,
            description=f"Fiktiv demoförfrågan nr {n + 1}: etablering av {SECTORS[n % 10].lower()}.",
            company=_company(n, owner.municipality_id) if n % 7 != 3 else None,
            registration_number=f"KS {today.year}/{100 + n}" if n % 3 == 0 else None,
            land_min_m2=20_000 + 5_000 * (n % 8), land_max_m2=60_000 + 10_000 * (n % 8),
            land_must=True, building_m2=10_000 + 2_500 * (n % 10), building_must=n % 2 == 0,
            contiguous_m2=15_000 + 5_000 * (n % 6) if n % 3 == 1 else None,
            airport_km_max=float(10 + n % 20) if n % 4 == 1 else None,
            power_lead_time_months=12 + 6 * (n % 4) if n % 4 == 2 else None,
            price_max_sek_m2=400 + 50 * (n % 8) if n % 5 == 2 else None, price_must=n % 10 == 2,
            rail_accept_possible=n % 6 == 3,
            rail_siding=n % 3 == 0, rail_must=n % 3 == 0, motorway_km_max=float(2 + n % 10),
            motorway_must=True, terminal_km_max=float(5 + n % 30) if n % 2 else None,
            power_mw=round(1 + (n % 12) * 2.5, 1), power_must=n % 4 == 0, water_sewage=True,
            preferred_municipalities=",".join(sorted({slug, SLUGS[(n + 1) % 4]})),
            desired_start=today + timedelta(days=90 + n * 10), start_must=n % 5 == 0,
            expected_jobs=20 + 15 * (n % 12), investment_msek=float(50 + 25 * (n % 16)),
        )
        if stage == Stage.LOST:
            lead.lost_reason = list(LostReason)[n % len(LostReason)]
            lead.lost_comment = "Fiktiv kommentar: valde en annan lösning."
        if stage == Stage.WON:
            lead.decided_on = today - timedelta(days=n % 30)
        db.session.add(lead)
        db.session.flush()
        _share(lead, n, advisors)
        _timeline(lead, owner, n, rng, now)
        _followups(lead, owner, n, today)
        created += 1
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Lead))
    return [f"Demo leads (fictional): {created} created, {total} in all"]


def _share(lead: Lead, n: int, advisors: dict) -> None:
    if n % 3 == 2 and not lead.confidential:
        return
    # Cycle through the three partners, so every municipality receives shares.
    partner = SLUGS[(n % 4 + 1 + (n // 4) % 3) % 4]
    level = ShareLevel.ANONYMISED if (n // 4) % 2 == 0 else ShareLevel.FULL
    municipality = municipality_by_slug(partner)
    assert municipality is not None, "the migrations create the four municipalities"
    share = LeadShare(lead_id=lead.id, municipality_id=municipality.id,
                      level=level, shared_by_id=lead.owner_id)
    if n % 4 == 0:
        share.response = ShareResponse.INTERESTED if n % 8 == 0 else ShareResponse.NO_SUITABLE_SITE
        share.response_comment = "Fiktivt svar från partnerkommunen."
        share.responded_at = utcnow()
        share.responded_by_id = advisors[partner].id
    db.session.add(share)


def _timeline(lead: Lead, owner, n: int, rng: random.Random, now) -> None:
    kinds = [ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.EMAIL, ActivityKind.NOTE,
             ActivityKind.SITE_VISIT]
    for i in range(2 + n % 3):
        db.session.add(Activity(
            lead_id=lead.id, kind=kinds[(n + i) % len(kinds)], internal=i % 2 == 0,
            body=f"Fiktiv anteckning {i + 1} om {lead.codename}.", author_id=owner.id,
            municipality_id=owner.municipality_id, at=now - timedelta(days=rng.randint(1, 90))))
    if lead.stage != Stage.NEW:
        db.session.add(Activity(lead_id=lead.id, kind=ActivityKind.STAGE_CHANGE, body="",
                                from_stage=Stage.NEW, to_stage=lead.stage, internal=False,
                                author_id=owner.id, municipality_id=owner.municipality_id,
                                at=lead.stage_changed_at))


def _followups(lead: Lead, owner, n: int, today) -> None:
    offsets = [-3 - n % 5, 0, 2, 14]
    for i in range(1 + n % 2):
        db.session.add(FollowUp(
            lead_id=lead.id, title=["Ring tillbaka", "Skicka markförslag", "Boka platsbesök",
                                    "Följ upp offert"][(n + i) % 4],
            due_on=today + timedelta(days=offsets[(n + i) % 4]), assignee_id=owner.id,
            created_by_id=owner.id, municipality_id=owner.municipality_id))
