"""Inquiries that arrive by themselves: the public form (/inquiry) and partner systems
(`POST /api/v1/inquiries`) take the same values (`Inquiry`) and have the same effects
(`receive_inquiry`).

Who owns an inquiry: the single preferred municipality, else INTAKE_MUNICIPALITY
(default Örebro); within it its intake advisor (`intake_advisor`). The other preferred
municipalities — and the municipality of the site asked about — get an anonymised
share. The company goes into the owning municipality's register, or an existing company
there with the same organisation number is reused; public input never changes a stored
company: what differs is written into the lead's description. The owning municipality's
advisors are notified; the submitter gets a receipt with fixed text and the reference
only (nothing of the input is echoed: the form must not carry text to any address).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.dialects import postgresql, sqlite

from app import audit
from app.auth.models import Role, User
from app.candidates.models import CandidateSite
from app.clock import local_today, utcnow
from app.core.models import Municipality
from app.deliveries import Outcome
from app.extensions import db
from app.forms import column_length
from app.input_rules import FieldErrors
from app.intake import receipts
from app.intake.models import BotCount
from app.leads import sharing
from app.leads.commands import suggest_codename
from app.leads.companies import build_company
from app.leads.models import Company, Contact, Lead, ShareLevel, Source, Stage
from app.notifications import service as notifications
from app.sites.models import Site
from app.sites.public import listed_site
from app.viewer import Viewer

# What the submitter writes about their plans; the rest of the description's column is
# kept for the differences from the company register.
PLANS_LENGTH = 4000
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
BOT_REASONS = ("honeypot", "too_fast")


@dataclass
class Inquiry:
    """An inquiry's values, checked by the form or the API under the input rules."""

    company_name: str
    contact_name: str
    email: str
    plans: str
    orgnr: str | None = None
    country: str | None = None
    phone: str | None = None
    sector: str | None = None
    land_area_m2: int | None = None
    building_area_m2: int | None = None
    rail_siding: bool | None = None
    power_mw: float | None = None
    expected_jobs: int | None = None
    desired_start: date | None = None
    municipalities: list[str] = field(default_factory=list)  # empty: no preference
    site_id: int | None = None


@dataclass
class Received:
    """A stored inquiry and what is done once it is committed (`after_commit`)."""

    lead: Lead
    partners: list[Municipality]


# --- who owns it ---------------------------------------------------------------------


def owning_municipality(slugs: list[str]) -> Municipality:
    """The single preferred municipality, else INTAKE_MUNICIPALITY."""
    slug = slugs[0] if len(slugs) == 1 else current_app.config["INTAKE_MUNICIPALITY"]
    municipality = db.session.scalar(sa.select(Municipality).where(Municipality.slug == slug))
    if municipality is None:
        raise RuntimeError(f"INTAKE_MUNICIPALITY {slug!r} is no municipality")
    return municipality


def active_advisors(municipality_id: int) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(
        User.municipality_id == municipality_id, User.active.is_(True),
        User.role == Role.ADVISOR).order_by(User.name, User.id)))


def intake_advisor(municipality: Municipality) -> User:
    """The municipality's intake advisor; while none is set (or they left), its first
    active advisor, so that no inquiry is lost. RuntimeError without any advisor."""
    chosen = (db.session.get(User, municipality.intake_user_id)
              if municipality.intake_user_id else None)
    if (chosen is not None and chosen.active and chosen.role == Role.ADVISOR
            and chosen.municipality_id == municipality.id):
        return chosen
    advisors = active_advisors(municipality.id)
    if not advisors:
        raise RuntimeError(f"{municipality.slug} has no active advisor to own inquiries")
    return advisors[0]


def intake_advisor_or_none(municipality: Municipality) -> User | None:
    """`intake_advisor`, or None for a municipality without any active advisor."""
    try:
        return intake_advisor(municipality)
    except RuntimeError:
        return None


def set_intake_advisor(actor: Viewer, municipality: Municipality, user_id: int | None) -> None:
    """The admin chooses the municipality's intake advisor among its active advisors."""
    if not actor.is_admin:
        from app.leads.errors import PermissionDenied

        raise PermissionDenied()
    allowed = {user.id for user in active_advisors(municipality.id)}
    if user_id is not None and user_id not in allowed:
        raise FieldErrors({"user_id": [str(_l("Choose an active advisor of the municipality."))]})
    before = {"intake_user_id": municipality.intake_user_id}
    municipality.intake_user_id = user_id
    audit.record(actor, "municipality.intake_advisor_set", "municipality", municipality.id,
                 before=before, after={"intake_user_id": user_id},
                 municipality_id=municipality.id)
    db.session.commit()


# --- receiving an inquiry ----------------------------------------------------------------


def new_reference() -> str:
    """The submitter's reference, e.g. ETB-7K3Q-9XPA: random, so it reveals no count."""
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"ETB-{letters[:4]}-{letters[4:]}"


def _company(inquiry: Inquiry, municipality: Municipality) -> tuple[Company, list[str]]:
    """The owning municipality's company with the inquiry's organisation number (reused,
    unchanged), with what the inquiry says differently; else a new company."""
    existing = db.session.scalar(sa.select(Company).where(
        Company.municipality_id == municipality.id, Company.orgnr == inquiry.orgnr)
        .order_by(Company.id).limit(1)) if inquiry.orgnr else None
    if existing is None:
        return build_company({"name": inquiry.company_name, "orgnr": inquiry.orgnr,
                              "country": inquiry.country, "sector": inquiry.sector},
                             municipality.id), []
    differences = []
    with force_locale("sv"):  # the municipality's working language
        for label, stated, stored in ((_("Company name"), inquiry.company_name, existing.name),
                                      (_("Country"), inquiry.country, existing.country),
                                      (_("Sector"), inquiry.sector, existing.sector)):
            if stated and stated != stored:
                differences.append(f"{label}: {stated}")
    return existing, differences


def _description(inquiry: Inquiry, differences: list[str]) -> str:
    if not differences:
        return inquiry.plans
    with force_locale("sv"):  # the municipality's working language
        heading = _("The inquiry states differently from the company register:")
    text = "\n\n".join([inquiry.plans, heading + "\n" + "\n".join(differences)])
    return text[:column_length(Lead.description)]


def check_site(site_id: int | None) -> Site | None:
    """The site asked about, if the public may ask about it; FieldErrors otherwise."""
    if site_id is None:
        return None
    site = listed_site(site_id)
    if site is None:
        raise FieldErrors({"site_id": [str(_l("This site is not offered."))]})
    return site


def receive_inquiry(inquiry: Inquiry, source: Source, locale: str,
                    client: str | None = None) -> Received:
    """Store the inquiry as a new lead of its owning municipality (see the module
    docstring). Not committed: the caller commits (with its idempotency key), then calls
    `after_commit`."""
    site = check_site(inquiry.site_id)
    municipalities = {m.slug: m for m in db.session.scalars(sa.select(Municipality))}
    unknown = [slug for slug in inquiry.municipalities if slug not in municipalities]
    if unknown:
        raise FieldErrors({"municipalities": [str(_l("Unknown municipality."))]})
    owner_municipality = owning_municipality(inquiry.municipalities)
    owner = intake_advisor(owner_municipality)
    company, differences = _company(inquiry, owner_municipality)
    reused = company.id is not None
    if not reused:
        db.session.add(company)
    now = utcnow()
    lead = Lead(
        codename=suggest_codename(owner_municipality.id), company=company, source=source,
        received_on=local_today(), stage=Stage.NEW, owner_id=owner.id,
        municipality_id=owner_municipality.id, sector=inquiry.sector,
        description=_description(inquiry, differences), land_min_m2=inquiry.land_area_m2,
        building_m2=inquiry.building_area_m2, rail_siding=inquiry.rail_siding,
        power_mw=inquiry.power_mw, expected_jobs=inquiry.expected_jobs,
        desired_start=inquiry.desired_start,
        preferred_municipalities=",".join(dict.fromkeys(inquiry.municipalities)) or None,
        inquiry_reference=new_reference(), web_inquiry_new=True, created_at=now,
        updated_at=now, stage_changed_at=now)
    db.session.add(lead)
    db.session.flush()
    contact = Contact(company=company, lead_id=lead.id, name=inquiry.contact_name,
                      email=inquiry.email, phone=inquiry.phone)
    db.session.add(contact)
    db.session.flush()
    receipts.queue(lead, contact, locale)
    partners = [municipalities[slug] for slug in dict.fromkeys(inquiry.municipalities)
                if municipalities[slug].id != owner_municipality.id]
    if site is not None and site.municipality_id != owner_municipality.id and all(
            partner.id != site.municipality_id for partner in partners):
        partners.append(site.municipality)
    for partner in partners:
        sharing.add_anonymised_share(None, lead, partner, because="inquiry")
    if site is not None:
        db.session.add(CandidateSite(lead=lead, site=site, municipality_id=site.municipality_id,
                                     note=_swedish_note()))
    db.session.flush()
    audit.record(None, "lead.created", "lead", lead.id, after={
        "via": "intake", "source": source.value, "client": client, "codename": lead.codename,
        "owner_id": owner.id, "company_id": company.id, "company_reused": reused,
        "site_id": site.id if site else None}, municipality_id=owner_municipality.id)
    _notify(lead, owner_municipality, site, client)
    return Received(lead=lead, partners=partners)


def _swedish_note() -> str:
    with force_locale("sv"):
        return _("Asked about in the inquiry")


def _notify(lead: Lead, municipality: Municipality, site: Site | None,
            client: str | None) -> None:
    """The owning municipality's advisors learn of the inquiry; the municipality of the
    site asked about, when another, learns that its site is a candidate."""
    params: dict[str, Any] = {"codename": lead.codename}
    if client:
        params["client"] = client
    notifications.notify(active_advisors(municipality.id), "web_inquiry", params,
                         f"/leads/{lead.id}", lead_id=lead.id)
    if site is not None and site.municipality_id != municipality.id:
        notifications.notify(notifications.municipality_readers(site.municipality_id),
                             "candidate_proposed", {"codename": lead.codename, "site": site.name},
                             f"/leads/{lead.id}#candidates", lead_id=lead.id)


def after_commit(received: Received) -> Outcome:
    """Once the inquiry is committed: the partners learn of their shares, the advisors'
    e-mails go out, and the submitter gets the receipt (app/intake/receipts.py: retried
    until sent if this attempt fails)."""
    for partner in received.partners:
        sharing.notify_partner(received.lead, partner, ShareLevel.ANONYMISED)
    notifications.send_queued()
    return receipts.send(received.lead.id)


# --- bots --------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="inquiry-form-started")


def form_started_token() -> str:
    """Signed into the form when it is shown: when it was shown."""
    return _serializer().dumps(utcnow().timestamp())


def filled_too_fast(token: str | None) -> bool:
    """Whether the form came back sooner than INTAKE_MIN_FILL_SECONDS after it was shown
    (or without a valid token: not from our form)."""
    try:
        started = float(_serializer().loads(token or ""))
    except (BadSignature, TypeError, ValueError):
        return True
    elapsed = utcnow().timestamp() - started
    return elapsed < 0 or elapsed < current_app.config["INTAKE_MIN_FILL_SECONDS"]


def count_bot(reason: str) -> None:
    """One more submission taken for a bot's today (committed; nothing else is kept)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(BotCount).values(day=local_today(), reason=reason, count=1)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["day", "reason"], set_={"count": BotCount.count + 1}))
    db.session.commit()


def bot_counts(days: int = 30) -> list[tuple[date, dict[str, int]]]:
    """Bots turned away per day of the last `days` days (days with any), newest first."""
    since = local_today() - timedelta(days=days - 1)
    counts: dict[date, dict[str, int]] = {}
    for day, reason, count in db.session.execute(sa.select(
            BotCount.day, BotCount.reason, BotCount.count).where(BotCount.day >= since)):
        counts.setdefault(day, dict.fromkeys(BOT_REASONS, 0))[reason] = count
    return sorted(counts.items(), reverse=True)
