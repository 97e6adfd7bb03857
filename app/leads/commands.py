"""Changing leads: creating and editing them (checked across fields, locked by version,
audited), activities on the timeline and codename suggestions.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.clock import local_today, utcnow
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads import mentions, secrecy
from app.leads.access import can_contribute, can_edit
from app.leads.errors import PermissionDenied
from app.leads.inquiries import record_first_answer
from app.leads.models import (
    SYSTEM_ACTIVITY_KINDS,
    Activity,
    ActivityKind,
    Company,
    Contact,
    Lead,
    Stage,
)
from app.locking import update_versioned
from app.viewer import Viewer

EDITABLE_FIELDS = (
    "codename", "registration_number", "source", "received_on", "sector", "confidential",
    "confidential_basis", "description", "land_min_m2", "land_max_m2", "land_must",
    "contiguous_m2", "contiguous_must", "building_m2", "building_must",
    "rail_siding", "rail_must", "rail_accept_possible", "motorway_km_max", "motorway_must",
    "terminal_km_max", "terminal_must", "airport_km_max", "airport_must", "power_mw",
    "power_must", "power_lead_time_months", "water_sewage", "water_must",
    "preferred_municipalities", "preferred_must", "desired_start", "start_must",
    "price_max_sek_m2", "price_must", "expected_jobs", "investment_msek",
)

CODENAME_WORDS = (
    "Trana", "Lärka", "Falk", "Örn", "Hök", "Svala", "Stare", "Mås", "Ejder", "Tärna", "Uggla",
    "Gök", "Korp", "Kaja", "Skata", "Sparv", "Fink", "Mes", "Domherre", "Hackspett", "Vipa",
    "Rördrom", "Sädesärla", "Näktergal", "Trast", "Glada", "Vråk", "Lom", "Knipa", "Gräsand",
    "Storspov", "Tofsvipa", "Järpe", "Orre", "Tjäder", "Rapphöna", "Kungsfågel", "Gärdsmyg",
    "Nötväcka", "Trädkrypare", "Stenknäck", "Grönsiska", "Steglits", "Hämpling", "Kornsparv",
    "Lappsparv", "Snösparv", "Forsärla", "Strömstare", "Kricka",
)


def suggest_codename(municipality_id: int | None) -> str:
    """'Projekt <bird>', with a number added when every plain name is taken; codenames are
    unique per municipality, so only that municipality's leads are looked at."""
    taken = set(db.session.scalars(sa.select(Lead.codename).where(
        Lead.municipality_id == municipality_id, Lead.codename.like("Projekt %"))))
    for word in CODENAME_WORDS:
        if f"Projekt {word}" not in taken:
            return f"Projekt {word}"
    rng = random.Random()
    while True:
        candidate = f"Projekt {rng.choice(CODENAME_WORDS)} {rng.randint(2, 9999)}"
        if candidate not in taken:
            return candidate


def _check_lead_values(values: dict[str, Any], municipality_id: int,
                       lead_id: int | None = None) -> None:
    """Rules across fields, applied by every entry point (form checks come first). The
    codename is checked only against the municipality's own leads: other municipalities'
    codenames are theirs (and a clash must not reveal a confidential lead)."""
    errors: dict[str, list[str]] = {}
    low, high = values.get("land_min_m2"), values.get("land_max_m2")
    if low is not None and high is not None and high < low:
        errors["land_max_m2"] = [str(_l("The maximum must not be below the minimum."))]
    for name in ("land_min_m2", "land_max_m2", "contiguous_m2", "building_m2", "motorway_km_max",
                 "terminal_km_max", "airport_km_max", "power_mw", "power_lead_time_months",
                 "price_max_sek_m2", "expected_jobs", "investment_msek"):
        if values.get(name) is not None and values[name] < 0:
            errors.setdefault(name, []).append(str(_l("Must not be negative.")))
    codename = values.get("codename")
    if codename:
        clash = sa.select(Lead.id).where(Lead.municipality_id == municipality_id,
                                         Lead.codename == codename)
        if lead_id:
            clash = clash.where(Lead.id != lead_id)
        if db.session.scalar(clash) is not None:
            errors["codename"] = [str(_l("Another lead already has this codename."))]
    if errors:
        raise FieldErrors(errors)


def snapshot(lead: Lead) -> dict[str, Any]:
    return {name: getattr(lead, name) for name in EDITABLE_FIELDS} | {
        "company_id": lead.company_id, "stage": lead.stage, "owner_id": lead.owner_id}


def _check_company_of(lead: Lead, company: Company) -> None:
    """A lead links only to a company of its own municipality's register; a new company
    joins that register."""
    if company.id is None:
        if company.municipality_id is None:
            company.municipality_id = lead.municipality_id
        db.session.add(company)
    if company.municipality_id != lead.municipality_id:
        raise FieldErrors({"company_id": [str(_l("Unknown company."))]})


def create_lead(user: Viewer, values: dict[str, Any], company: Company | None = None,
                contact: dict[str, Any] | None = None) -> Lead:
    """A new lead owned by `user` and their municipality (advisors only), with the
    company's contact person when one is given."""
    if not user.is_advisor:
        raise PermissionDenied()
    values = dict(values)
    if company is None and not (values.get("description") or "").strip():
        # an empty "Projekt Stenknäck" tells nobody anything: who, or what, is asking?
        raise FieldErrors({"description": [str(_l(
            "Say who is asking or what they need: give the company or describe the "
            "inquiry."))]})
    if not values.get("codename"):
        values["codename"] = suggest_codename(user.municipality_id)
    _check_lead_values(values, user.municipality_id)
    lead = Lead(owner_id=user.id, municipality_id=user.municipality_id, stage=Stage.NEW,
                **{name: values.get(name) for name in EDITABLE_FIELDS if name in values})
    for flag in ("confidential", "land_must", "contiguous_must", "building_must", "rail_must",
                 "rail_accept_possible", "motorway_must", "terminal_must", "airport_must",
                 "power_must", "water_must", "preferred_must", "start_must", "price_must"):
        setattr(lead, flag, bool(values.get(flag)))
    if lead.received_on is None:
        lead.received_on = local_today()
    for name, value in secrecy.marking(user, False, lead.confidential,
                                       values.get("confidential_basis")).items():
        setattr(lead, name, value)
    if company is not None:
        _check_company_of(lead, company)
        lead.company = company
    elif contact is not None:
        raise FieldErrors({"contact_name": [str(_l(
            "A contact person belongs to a company: give its name."))]})
    db.session.add(lead)
    db.session.flush()
    audit.record(user, "lead.created", "lead", lead.id, after=snapshot(lead),
                 municipality_id=lead.municipality_id)
    if contact is not None and company is not None:
        person = Contact(company=company, lead_id=lead.id, name=contact["name"],
                         title=contact.get("title"), email=contact.get("email"),
                         phone=contact.get("phone"))
        db.session.add(person)
        db.session.flush()
        audit.record(user, "contact.created", "contact", person.id,
                     after={"company_id": company.id, "lead_id": lead.id},
                     municipality_id=lead.municipality_id)
    db.session.commit()
    return lead


def update_lead(user: Viewer, lead: Lead, submitted_version: int | None, values: dict[str, Any],
                company: Company | None = None, unlink_company: bool = False,
                commit: bool = True) -> Lead:
    """Edit a lead; the UPDATE checks the version (StaleVersion when someone was first).
    With `commit=False` the caller commits (one transaction for several changes) or lets
    the request's rollback undo it."""
    if not can_edit(user, lead):
        raise PermissionDenied()
    values = {name: value for name, value in values.items() if name in EDITABLE_FIELDS}
    if "codename" in values and not values["codename"]:
        values["codename"] = lead.codename
    if "received_on" in values and values["received_on"] is None:
        values["received_on"] = lead.received_on
    merged = snapshot(lead) | values
    _check_lead_values(merged, lead.municipality_id, lead.id)
    before = snapshot(lead)
    if company is not None:
        _check_company_of(lead, company)
        db.session.flush()
        values["company_id"] = company.id
    elif unlink_company:
        values["company_id"] = None
    values["updated_at"] = utcnow()
    was_confidential = lead.confidential
    values |= secrecy.marking(user, was_confidential, merged["confidential"],
                              values.get("confidential_basis"), lead.confidential_basis)
    update_versioned(lead, submitted_version, values)
    if lead.confidential and not was_confidential:
        secrecy.lower_unfounded_full_shares(user, lead)
    changed_before, changed_after = audit.changes(before, snapshot(lead))
    audit.record(user, "lead.updated", "lead", lead.id, before=changed_before,
                 after=changed_after, municipality_id=lead.municipality_id)
    if commit:
        db.session.commit()
    return lead



# --- activities ----------------------------------------------------------------------------


def add_activity(user: Viewer, lead: Lead, kind: str, body: str, internal: bool = True,
                 at: datetime | None = None, mentioned: list[int] | None = None) -> Activity:
    """A timeline entry; `mentioned`: the ids of the users its "@Name"s refer to."""
    if not can_contribute(user, lead):
        raise PermissionDenied()
    if kind not in ActivityKind._value2member_map_ or kind in SYSTEM_ACTIVITY_KINDS:
        raise FieldErrors({"kind": [str(_l("Not a valid choice."))]})
    if not (body or "").strip():
        raise FieldErrors({"body": [str(_l("This field is required."))]})
    readers = mentions.checked_readers(lead, internal, mentioned or [])
    activity = Activity(lead_id=lead.id, kind=ActivityKind(kind), body=body, internal=internal,
                        author_id=user.id, municipality_id=user.municipality_id,
                        at=at or utcnow())
    db.session.add(activity)
    db.session.flush()
    mentions.add_mentions(user, lead, activity, readers)
    record_first_answer(user, lead)
    audit.record(user, "activity.created", "lead", lead.id,
                 after={"activity_id": activity.id, "kind": kind, "internal": internal,
                        "mentions": mentioned or []},
                 municipality_id=lead.municipality_id)
    db.session.commit()
    return activity
