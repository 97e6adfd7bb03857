"""Contacts are personal data: the owning municipality's advisors export everything stored
about a contact and erase it (the lead stays); both are audited, without personal data."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.companies import add_contact
from app.leads.models import Activity, ActivityKind, Contact, Lead, ShareLevel
from tests.leads_helpers import login, make_lead, share

PERSON = {"name": "Greta Personsson", "title": "Vd", "email": "greta@bolaget.example",
          "phone": "+46701234567"}


@pytest.fixture
def contact(app, users) -> Contact:
    lead = make_lead(users["kumla"], "persondata")
    contact = add_contact(users["kumla"], lead, PERSON)
    db.session.add(Activity(lead_id=lead.id, kind=ActivityKind.CALL,
                            body="Ringde Greta Personsson om tomten", author_id=users["kumla"].id))
    db.session.add(Activity(lead_id=lead.id, kind=ActivityKind.NOTE, body="Annat ärende"))
    db.session.commit()
    return contact


def test_an_advisor_of_the_owning_municipality_exports_everything_stored(client, contact):
    login(client, "kumla")
    response = client.get(f"/contacts/{contact.id}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    record = json.loads(response.get_data(as_text=True))
    assert {key: record["contact"][key] for key in PERSON} == PERSON
    assert record["lead"]["codename"] == "Projekt persondata"
    assert record["company"]["name"]
    assert [a["text"] for a in record["activities_naming_the_contact"]] == [
        "Ringde Greta Personsson om tomten"]
    assert [e["action"] for e in record["events"]] == ["contact.created"]


def test_the_export_is_audited_without_personal_data(client, contact):
    login(client, "kumla")
    client.get(f"/contacts/{contact.id}/export.json")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contact.exported"))
    assert event.object_id == contact.id
    assert "Greta" not in json.dumps(event.after)


def test_erasing_anonymises_the_personal_fields_and_keeps_the_lead(client, contact):
    lead_id = contact.lead_id
    login(client, "kumla")
    response = client.post(f"/contacts/{contact.id}/erase")
    assert response.status_code == 302
    erased = db.session.get(Contact, contact.id)
    assert erased.erased_at is not None
    assert (erased.title, erased.email, erased.phone) == (None, None, None)
    assert "Greta" not in erased.name
    assert db.session.get(Lead, lead_id) is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contact.erased"))
    assert event.object_id == contact.id and "Greta" not in json.dumps(event.after)
    page = client.get(f"/leads/{lead_id}").get_data(as_text=True)
    shown = re.sub(r'(value|nonce|data-csrf)="[^"]*"', "", page)  # random tokens may hold "Vd"
    assert "greta@bolaget.example" not in shown and "Vd" not in shown
    assert "Kontakt raderad" in page
    # The timeline is the matter's record: erasure leaves its texts (the export lists them).
    assert "Ringde Greta Personsson" in page


def test_the_lead_page_offers_export_and_erase_to_the_owning_advisors_only(client, contact,
                                                                           users):
    login(client, "kumla")
    page = client.get(f"/leads/{contact.lead_id}").get_data(as_text=True)
    assert 'data-testid="export-contact"' in page and 'data-testid="erase-contact"' in page
    share(db.session.get(Lead, contact.lead_id), "hallsberg", ShareLevel.FULL)
    client.post("/logout")
    login(client, "hallsberg")
    page = client.get(f"/leads/{contact.lead_id}").get_data(as_text=True)
    assert "Greta Personsson" in page  # shared in full: the partner sees the contact
    assert 'data-testid="export-contact"' not in page


@pytest.mark.parametrize(("who", "status"), [
    ("hallsberg", 404),  # cannot see the contact at all
    ("viewer", 403),  # sees it (Kumla), but viewers do not handle personal data requests
    ("admin", 403),  # Örebro's admin sees Kumla's non-confidential lead, does not handle it
])
def test_others_can_neither_export_nor_erase(client, contact, who, status):
    login(client, who)
    assert client.get(f"/contacts/{contact.id}/export.json").status_code == status
    assert client.post(f"/contacts/{contact.id}/erase").status_code == status
    assert db.session.get(Contact, contact.id).erased_at is None


def test_a_partner_with_a_full_share_may_not_export_or_erase(client, contact):
    share(db.session.get(Lead, contact.lead_id), "hallsberg", ShareLevel.FULL)
    login(client, "hallsberg")
    assert client.get(f"/contacts/{contact.id}/export.json").status_code == 403
    assert client.post(f"/contacts/{contact.id}/erase").status_code == 403


def test_a_visitor_is_sent_to_log_in(client, contact):
    assert client.get(f"/contacts/{contact.id}/export.json").status_code == 302
    assert client.post(f"/contacts/{contact.id}/erase").status_code == 302
