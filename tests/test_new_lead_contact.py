"""Contacts in the new-lead form (issue 18): the company's contact person is saved with
the lead in one step, checked like any contact, and refused without a company."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit import AuditEvent
from app.extensions import db
from app.leads.models import Contact, Lead
from tests.leads_helpers import login

BASE = {"source": "direct", "company_name": "Kontaktbolaget AB",
        "description": "Lager 40 000 m²"}


def test_a_new_lead_saves_its_contact_person(client, users):
    login(client, "kumla")
    page = client.get("/leads/new").get_data(as_text=True)
    assert 'data-testid="new-lead-contact"' in page and "Kontaktpersonens e-post" in page
    response = client.post("/leads/new", data={
        **BASE, "contact_name": "Anna Berg", "contact_title": "Etableringschef",
        "contact_email": "anna@kontaktbolaget.se", "contact_phone": "070-123 45 67"})
    assert response.status_code == 302
    lead = db.session.scalar(sa.select(Lead))
    contact = db.session.scalar(sa.select(Contact))
    assert contact.lead_id == lead.id and contact.company_id == lead.company_id
    assert (contact.name, contact.title, contact.email) == (
        "Anna Berg", "Etableringschef", "anna@kontaktbolaget.se")
    assert contact.phone.replace(" ", "").endswith("701234567")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "contact.created", AuditEvent.object_id == contact.id)) == 1
    shown = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Anna Berg" in shown


def test_a_contact_without_a_company_or_a_name_is_refused_and_nothing_saved(client, users):
    login(client, "kumla")
    cases = [
        ({"source": "direct", "description": "Lager", "contact_name": "Anna Berg"},
         "En kontaktperson hör till ett företag"),
        ({**BASE, "contact_email": "anna@kontaktbolaget.se"}, "Ange kontaktpersonens namn"),
        ({**BASE, "contact_name": "Anna Berg", "contact_email": "inte en adress"},
         "e-post"),
    ]
    for data, message in cases:
        response = client.post("/leads/new", data=data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lead)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


def test_the_edit_form_has_no_contact_fields(client, users):
    login(client, "kumla")
    client.post("/leads/new", data=BASE)
    lead = db.session.scalar(sa.select(Lead))
    page = client.get(f"/leads/{lead.id}/edit").get_data(as_text=True)
    assert 'data-testid="new-lead-contact"' not in page
