"""Secrecy decisions recorded on a lead: the confidential marking (legal basis, who, when)
and the basis of a full share of a confidential matter (consent or secrecy review)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.clock import local_today
from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import Lead, LeadShare, ShareBasis, ShareLevel
from tests.leads_helpers import bearer, login, make_lead, share

CONSENT = {"municipalities": "hallsberg", "level": "full", "basis": "consent",
           "basis_by": "Anna Andersson, vd", "basis_on": "2026-11-30"}


def _share_row():
    return db.session.scalar(sa.select(LeadShare))


def test_full_share_of_confidential_lead_without_recorded_basis_is_refused(client, users):
    """Item 10 of issue 12: a confidential lead could be shared in full recording nothing."""
    lead = make_lead(users["kumla"], "secret", confidential=True)
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/shares",
                           data={"municipalities": "hallsberg", "level": "full"},
                           follow_redirects=True)
    assert "samtycke eller efter en sekretessprövning" in response.get_data(as_text=True)
    assert _share_row() is None


def test_full_share_of_confidential_lead_stores_the_consent_and_audits_it(client, users):
    lead = make_lead(users["kumla"], "secret", confidential=True)
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/shares", data=CONSENT)
    row = _share_row()
    assert (row.level, row.basis, row.basis_by, row.basis_on) == (
        ShareLevel.FULL, ShareBasis.CONSENT, "Anna Andersson, vd", date(2026, 11, 30))
    assert row.basis_recorded_by_id == users["kumla"].id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "lead.shared"))
    assert event.after["basis"] == "consent" and event.after["basis_on"] == "2026-11-30"
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Anna Andersson, vd" in page and 'data-testid="share-basis"' in page


def test_secrecy_review_needs_a_reason_and_a_date_not_in_the_future(client, users):
    lead = make_lead(users["kumla"], "secret", confidential=True)
    login(client, "kumla")
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    review = {"municipalities": "hallsberg", "level": "full", "basis": "secrecy_review",
              "basis_by": "Kommundirektören"}
    client.post(f"/leads/{lead.id}/shares", data=review | {"basis_on": "2026-11-30"})
    client.post(f"/leads/{lead.id}/shares", data=review | {"basis_on": tomorrow,
                                                           "basis_reason": "Skäl"})
    assert _share_row() is None
    client.post(f"/leads/{lead.id}/shares", data=review | {"basis_on": "2026-11-30",
                                                           "basis_reason": "Ingen skada"})
    assert _share_row().basis_reason == "Ingen skada"


def test_anonymised_share_and_non_confidential_full_share_need_no_basis(client, users):
    secret = make_lead(users["kumla"], "secret", confidential=True)
    plain = make_lead(users["kumla"], "plain")
    login(client, "kumla")
    client.post(f"/leads/{secret.id}/shares", data={"municipalities": "arboga",
                                                    "level": "anonymised"})
    client.post(f"/leads/{plain.id}/shares", data={"municipalities": "arboga", "level": "full"})
    levels = set(db.session.execute(sa.select(LeadShare.lead_id, LeadShare.level)).all())
    assert levels == {(secret.id, ShareLevel.ANONYMISED), (plain.id, ShareLevel.FULL)}


def test_upgrading_a_confidential_share_to_full_asks_for_the_basis(client, users):
    lead = make_lead(users["kumla"], "secret", confidential=True)
    share(lead, "hallsberg", ShareLevel.ANONYMISED)
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/shares", data={"municipalities": "hallsberg", "level": "full"})
    assert _share_row().level == ShareLevel.ANONYMISED
    client.post(f"/leads/{lead.id}/shares", data=CONSENT)
    assert _share_row().level == ShareLevel.FULL and _share_row().basis == ShareBasis.CONSENT


def test_api_full_share_of_confidential_lead_takes_the_basis(client, users, tokens):
    lead = make_lead(users["kumla"], "secret", confidential=True)
    url = f"/api/v1/leads/{lead.id}/shares"
    refused = client.post(url, headers=bearer(tokens["kumla"]),
                          json={"municipalities": ["hallsberg"], "level": "full"})
    assert refused.status_code == 422 and "basis.kind" in refused.json["error"]["fields"]
    bad = client.post(url, headers=bearer(tokens["kumla"]),
                      json={"municipalities": ["hallsberg"], "level": "full",
                            "basis": {"kind": "consent", "by": "A", "on": "30/11"}})
    assert bad.status_code == 422 and "basis.on" in bad.json["error"]["fields"]
    assert _share_row() is None
    done = client.post(url, headers=bearer(tokens["kumla"]),
                       json={"municipalities": ["hallsberg"], "level": "full",
                             "basis": {"kind": "consent", "by": "Anna", "on": "2026-11-30"}})
    assert done.status_code == 201
    assert done.json["items"][0]["basis"] == {"kind": "consent", "by": "Anna",
                                              "on": "2026-11-30", "reason": None}


def test_marking_a_lead_confidential_records_basis_who_and_when(client, users):
    login(client, "kumla")
    client.post("/leads/new", data={"source": "direct",
                                    "description": "Lagerbehov", "codename": "Projekt Hemlig",
                                    "confidential": "y"})
    lead = db.session.scalar(sa.select(Lead))
    assert lead.confidential_basis == "OSL 31:16"
    assert lead.confidential_marked_by_id == users["kumla"].id
    assert lead.confidential_marked_at is not None
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Sekretessmarkerat enligt OSL 31:16" in page and users["kumla"].name in page


def test_lifting_and_setting_the_marking_through_the_api(client, users, tokens):
    lead = make_lead(users["kumla"], "plain")
    url = f"/api/v1/leads/{lead.id}"
    marked = client.patch(url, headers=bearer(tokens["kumla"]),
                          json={"version": 1, "confidential": True,
                                "confidential_basis": "OSL 31 kap. 16 §"})
    assert marked.status_code == 200
    assert marked.json["confidential_basis"] == "OSL 31 kap. 16 §"
    assert marked.json["confidential_marked_at"] is not None
    lifted = client.patch(url, headers=bearer(tokens["kumla"]),
                          json={"version": 2, "confidential": False})
    assert lifted.json["confidential_basis"] is None
    assert db.session.get(Lead, lead.id).confidential_marked_by_id is None


def test_marking_a_lead_confidential_lowers_full_shares_without_basis(client, users, tokens):
    lead = make_lead(users["kumla"], "plain")
    share(lead, "hallsberg", ShareLevel.FULL)
    response = client.patch(f"/api/v1/leads/{lead.id}", headers=bearer(tokens["kumla"]),
                            json={"version": 1, "confidential": True})
    assert response.status_code == 200
    assert _share_row().level == ShareLevel.ANONYMISED
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "lead.share_lowered")) == "lead.share_lowered"
