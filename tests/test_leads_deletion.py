"""Issue 18: a lead needs a company or a description (form and API), and a lead created
by mistake can be deleted by an advisor of the owning municipality within 24 hours while
nothing hangs on it (audited); any other lead is closed instead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import time_machine

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import Lead, ShareLevel
from tests.leads_helpers import bearer, login, share

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Lead))


def test_an_empty_lead_is_refused_by_the_form_and_the_api(client, users, tokens):
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct", "codename": "Projekt Tom"})
    assert response.status_code == 422
    assert "Ange vem som frågar eller vad de behöver" in response.get_data(as_text=True)
    api = client.post("/api/v1/leads", json={"source": "direct"}, headers=bearer(tokens["kumla"]))
    assert api.status_code == 422 and "description" in api.get_json()["error"]["fields"]
    assert _count() == 0
    assert client.post("/api/v1/leads", json={"source": "direct", "company": {"name": "Bolaget AB"}},
                       headers=bearer(tokens["kumla"])).status_code == 201


def _new_lead(client, codename: str = "Projekt Misstag") -> int:
    response = client.post("/leads/new", data={"source": "direct", "codename": codename,
                                               "description": "Skapad av misstag"})
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


def test_a_fresh_lead_is_deleted_with_an_audit_trail(client, users):
    with time_machine.travel(START, tick=False):
        login(client, "kumla")
        lead_id = _new_lead(client)
        page = client.get(f"/leads/{lead_id}").get_data(as_text=True)
        assert 'data-testid="delete-lead"' in page
        response = client.post(f"/leads/{lead_id}/delete")
    assert response.status_code == 302 and _count() == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "lead.deleted"))
    assert event.object_id == lead_id and event.before["codename"] == "Projekt Misstag"
    assert event.before["description"] == "Skapad av misstag"


def test_after_24_hours_or_with_work_on_it_the_lead_is_closed_not_deleted(client, users):
    with time_machine.travel(START, tick=False):
        login(client, "kumla")
        old = _new_lead(client)
    with time_machine.travel(START + timedelta(hours=24, minutes=1), tick=False):
        login(client, "kumla")  # a day later: a new session
        assert 'data-testid="delete-lead"' not in client.get(f"/leads/{old}").get_data(as_text=True)
        refused = client.post(f"/leads/{old}/delete", follow_redirects=True)
        assert "bara inom 24 timmar" in refused.get_data(as_text=True)
        worked = _new_lead(client, "Projekt Arbetat")
        client.post(f"/leads/{worked}/activities", data={"kind": "call", "body": "Ringde vd"})
        refused = client.post(f"/leads/{worked}/delete", follow_redirects=True)
        assert "avsluta det i stället" in refused.get_data(as_text=True)
    assert _count() == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "lead.deleted")) == 0


def test_only_the_owning_municipalitys_advisors_delete(client, users):
    with time_machine.travel(START, tick=False):
        login(client, "kumla")
        lead_id = _new_lead(client)
        lead = db.session.get(Lead, lead_id)
        client.post("/logout")
        login(client, "viewer")  # Kumla's viewer
        assert client.post(f"/leads/{lead_id}/delete").status_code == 403
        client.post("/logout")
        login(client, "hallsberg")
        assert client.post(f"/leads/{lead_id}/delete").status_code == 404
        share(lead, "hallsberg", ShareLevel.FULL)
        assert client.post(f"/leads/{lead_id}/delete").status_code == 403
    assert _count() == 1
