"""Contacts are personal data (GDPR): the advisors of the municipality that owns a
contact's matter may export everything stored about the contact and erase it.

Erasing anonymises the personal fields (name, befattning, e-mail, phone) and keeps the row,
so the lead, its company and its figures stay; `erased_at` says when. Both are audited
without personal data in the audit trail (its events about contacts hold ids only).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app import audit, scope
from app.audit import jsonable
from app.clock import utcnow
from app.core.models import AuditEvent
from app.extensions import db
from app.input_rules import is_id
from app.leads.errors import PermissionDenied
from app.leads.models import Activity, Company, Contact, Lead
from app.viewer import Viewer

# What an erased contact's name becomes (the column is required); pages say "erased".
ERASED_NAME = "–"
PERSONAL_FIELDS = ("name", "title", "email", "phone")


def owning_municipality_id(contact: Contact) -> int:
    """The municipality whose matter the contact belongs to: its lead's, else (a contact
    the data migration could not place) its company's."""
    lead_municipality = db.session.scalar(sa.select(Lead.municipality_id).where(
        Lead.id == contact.lead_id)) if contact.lead_id is not None else None
    return lead_municipality if lead_municipality is not None else contact.company.municipality_id


def can_manage_contact(user: Viewer, contact: Contact) -> bool:
    """Advisors of the owning municipality (not its viewers, not partners, not admins of
    other municipalities)."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.is_advisor and user.municipality_id == owning_municipality_id(contact))


def get_contact(user: Viewer, contact_id: Any) -> Contact | None:
    """The contact if the user may see it (app.scope: where its lead shows at full level)."""
    if not is_id(contact_id):
        return None
    return scope.get_visible(user, Contact, contact_id)


def _mentions(contact: Contact) -> list[Activity]:
    """The activities of the contact's lead whose text names the contact (its name, e-mail
    or phone): free text stored about the person."""
    if contact.lead_id is None or contact.erased_at is not None:
        return []
    needles = [value for value in (contact.name, contact.email, contact.phone) if value]
    matches = [sa.func.lower(Activity.body).contains(value.lower(), autoescape=True)
               for value in needles]
    return list(db.session.scalars(sa.select(Activity).where(
        Activity.lead_id == contact.lead_id, sa.or_(*matches)).order_by(Activity.at)))


def contact_record(contact: Contact, now: datetime) -> dict[str, Any]:
    """Everything stored about the contact, as JSON-safe values."""
    company = contact.company
    lead = db.session.get(Lead, contact.lead_id) if contact.lead_id is not None else None
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "contact", AuditEvent.object_id == contact.id)
        .order_by(AuditEvent.at, AuditEvent.id))
    return jsonable({
        "exported_at": now,
        "contact": {"id": contact.id, "name": contact.name, "title": contact.title,
                    "email": contact.email, "phone": contact.phone,
                    "created_at": contact.created_at, "erased_at": contact.erased_at},
        "company": {"id": company.id, "name": company.name, "orgnr": company.orgnr,
                    "country": company.country, "website": company.website,
                    "municipality": company.municipality.name},
        "lead": None if lead is None else {
            "id": lead.id, "codename": lead.codename, "municipality": lead.municipality.name,
            "registration_number": lead.registration_number, "stage": lead.stage,
            "received_on": lead.received_on},
        "activities_naming_the_contact": [
            {"at": activity.at, "kind": activity.kind, "text": activity.body}
            for activity in _mentions(contact)],
        "events": [{"at": event.at, "action": event.action} for event in events],
    })


def export_contact(user: Viewer, contact: Contact) -> dict[str, Any]:
    """The contact's record for the person's request (audited as `contact.exported`)."""
    if not can_manage_contact(user, contact):
        raise PermissionDenied()
    record = contact_record(contact, utcnow())
    audit.record(user, "contact.exported", "contact", contact.id,
                 after={"lead_id": contact.lead_id, "company_id": contact.company_id},
                 municipality_id=owning_municipality_id(contact))
    db.session.commit()
    return record


def erase_fields(contact: Contact, now: datetime) -> bool:
    """Anonymise the contact's personal fields (not committed); False if already erased."""
    if contact.erased_at is not None:
        return False
    contact.name = ERASED_NAME
    contact.title = contact.email = contact.phone = None
    contact.erased_at = now
    return True


def erase_contact(user: Viewer, contact: Contact) -> None:
    """Erase the contact's personal data on request; the lead stays (audited)."""
    if not can_manage_contact(user, contact):
        raise PermissionDenied()
    if erase_fields(contact, utcnow()):
        audit.record(user, "contact.erased", "contact", contact.id,
                     after={"lead_id": contact.lead_id, "company_id": contact.company_id,
                            "reason": "request"},
                     municipality_id=owning_municipality_id(contact))
    db.session.commit()


def company_contacts_without_lead(company: Company) -> list[Contact]:
    return [contact for contact in company.contacts if contact.lead_id is None]
