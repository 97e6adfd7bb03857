"""Stage rules, bad input (field errors, nothing stored), escaping and handover."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.companies import OrgnrError, normalise_orgnr
from app.leads.models import Activity, ActivityKind, Company, FollowUp, Lead, Stage
from tests.factories import make_user
from tests.leads_helpers import bearer, login, make_lead

VALID_ORGNRS = ["556016-0680", "202100-5489", "212000-0142", "212000-1355", "556036-0793"]


@pytest.mark.parametrize("raw", VALID_ORGNRS + ["5560160680", "16556016-0680", " 556016 0680 "])
def test_valid_organisation_numbers_are_normalised(raw):
    assert normalise_orgnr(raw) in VALID_ORGNRS


@pytest.mark.parametrize(("raw", "problem"), [
    ("556016-068", "10 siffror"),
    ("556016-06801", "10 siffror"),
    ("556016-0681", "Kontrollsiffran"),
    ("811228-9874", "personnummer, inte en juridisk person"),
    ("55601A-0680", "bara av siffror"),
])
def test_invalid_organisation_numbers_name_the_problem_in_swedish(app, raw, problem):
    with pytest.raises(OrgnrError) as caught:
        normalise_orgnr(raw)
    assert problem in str(caught.value)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


BASE = {"source": "direct", "description": "Lagerbehov", "codename": "Projekt Testfall"}


@pytest.mark.parametrize(("extra", "field", "swedish"), [
    ({"company_name": "X AB", "company_orgnr": "811228-9874"}, "company_orgnr", "personnummer"),
    ({"company_name": "X AB", "company_orgnr": "556016-0681"}, "company_orgnr", "Kontrollsiffran"),
    ({"company_name": "X AB", "company_orgnr": "55601-0680"}, "company_orgnr", "10 siffror"),
    ({"land_min_m2": "-5"}, "land_min_m2", "under noll"),
    ({"land_min_m2": "5000", "land_max_m2": "100"}, "land_max_m2", "minimum"),
    ({"power_mw": "-1"}, "power_mw", "under noll"),
    ({"preferred_municipalities": "stockholm"}, "preferred_municipalities", "Välj bara bland alternativen"),
    ({"codename": "x" * 81}, "codename", "Högst 80"),
    ({"description": "x" * 5001}, "description", "Högst 5000"),
    ({"company_name": "y" * 201}, "company_name", "Högst 200"),
    ({"source": "carrier-pigeon"}, "source", "giltigt"),
    ({"power_mw": "nan"}, "power_mw", "inte ett tal"),
])
def test_bad_lead_input_is_a_field_error_in_swedish_and_nothing_is_stored(
        client, users, extra, field, swedish):
    login(client, "kumla")
    before = (_count(Lead), _count(Company))
    response = client.post("/leads/new", data={**BASE, **extra})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'id="{field}"' in body and "is-invalid" in body
    assert swedish in body
    assert (_count(Lead), _count(Company)) == before


@pytest.mark.parametrize(("payload", "field"), [
    ({"source": "direct",
      "description": "Lagerbehov", "company": {"name": "X AB", "orgnr": "811228-9874"}}, "company.orgnr"),
    ({"source": "direct", "description": "Lagerbehov", "requirements": {"land_area": {"min": 10, "max": 5}}},
     "requirements.land_area.max"),
    ({"source": "direct", "description": "Lagerbehov",
      "requirements": {"power_mw": {"value": -2}}}, "requirements.power_mw.value"),
    ({"source": "direct",
      "description": "Lagerbehov", "requirements": {"preferred_municipalities": {"value": ["malmo"]}}},
     "requirements.preferred_municipalities.value"),
    ({"source": "direct", "description": "Lagerbehov", "codename": "x" * 200}, "codename"),
    ({"source": "direct", "description": "Lagerbehov", "expected_jobs": "many"}, "expected_jobs"),
    ({"source": "nope"}, "source"),
])
def test_bad_api_input_is_422_with_fields_and_nothing_stored(client, users, tokens, payload, field):
    before = _count(Lead)
    response = client.post("/api/v1/leads", json=payload, headers=bearer(tokens["kumla"]))
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert _count(Lead) == before


def test_a_blank_codename_gets_a_suggestion(client, users):
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct", "description": "Lagerbehov"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Lead.codename)) == "Projekt Trana"


def test_html_is_stored_as_typed_and_escaped_on_output(client, users, tokens):
    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    login(client, "kumla")
    client.post("/leads/new", data={"source": "direct", "codename": "Projekt Html",
                                    "description": script, "sector": script,
                                    "company_name": script})
    lead = db.session.scalar(sa.select(Lead))
    assert lead.description == script and lead.company.name == script
    client.post(f"/leads/{lead.id}/activities", data={"kind": "note", "body": script})
    assert db.session.scalar(sa.select(Activity.body).where(Activity.kind == ActivityKind.NOTE)) == script
    client.post(f"/leads/{lead.id}/followups", data={"title": script, "due_on": "2026-12-01"})
    assert db.session.scalar(sa.select(FollowUp.title)) == script
    for url in (f"/leads/{lead.id}", "/leads", "/pipeline", f"/leads/{lead.id}/edit",
                "/followups"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in body and "<img src=x" not in body, url
    assert client.get(f"/api/v1/leads/{lead.id}",
                      headers=bearer(tokens["kumla"])).json["description"] == script


# --- stages ------------------------------------------------------------------------------------


@pytest.fixture
def lead(users):
    return make_lead(users["kumla"], "stages")


def test_stage_change_writes_an_activity_and_an_audit_event(client, lead):
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/stage", data={"stage": "qualified",
                                                             "version": lead.version})
    assert response.status_code == 302
    db.session.refresh(lead)
    assert lead.stage == Stage.QUALIFIED and lead.version == 2
    change = db.session.scalar(sa.select(Activity).where(Activity.kind == ActivityKind.STAGE_CHANGE))
    assert (change.from_stage, change.to_stage) == (Stage.NEW, Stage.QUALIFIED)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "lead.stage_changed"))
    assert event.before == {"stage": "new"} and event.after["stage"] == "qualified"


@pytest.mark.parametrize(("data", "missing"), [
    ({"stage": "lost"}, ["lost_reason", "lost_comment"]),
    ({"stage": "lost", "lost_reason": "grid_capacity"}, ["lost_comment"]),
    ({"stage": "won"}, ["decided_on", "expected_jobs", "investment_msek"]),
    ({"stage": "won", "decided_on": "2026-11-01", "expected_jobs": "40"}, ["investment_msek"]),
])
def test_lost_and_won_need_their_data(client, lead, data, missing):
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/stage", data={**data, "version": lead.version})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    for name in missing:
        assert f'id="{name}"' in body
    assert body.count("invalid-feedback") == len(missing)
    db.session.refresh(lead)
    assert lead.stage == Stage.NEW and lead.version == 1
    assert _count(Activity) == 1  # only the fixture's note


def test_lost_with_reason_and_comment_and_won_with_decision(client, lead):
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/stage", data={"stage": "lost", "lost_reason": "grid_capacity",
                                                 "lost_comment": "Ingen effekt", "version": 1})
    db.session.refresh(lead)
    assert lead.stage == Stage.LOST and lead.lost_reason.value == "grid_capacity"
    client.post(f"/leads/{lead.id}/stage", data={"stage": "won", "decided_on": "2026-11-20",
                                                 "expected_jobs": "120", "investment_msek": "450",
                                                 "version": 2})
    db.session.refresh(lead)
    assert lead.stage == Stage.WON and lead.expected_jobs == 120 and lead.investment_msek == 450


def test_api_stage_change_needs_its_data(client, lead, tokens):
    response = client.patch(f"/api/v1/leads/{lead.id}", json={"version": 1, "stage": "lost"},
                            headers=bearer(tokens["kumla"]))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"lost_reason", "lost_comment"}
    ok = client.patch(f"/api/v1/leads/{lead.id}", headers=bearer(tokens["kumla"]), json={
        "version": 1, "stage": "lost", "lost_reason": "timeline", "lost_comment": "För sent"})
    assert ok.status_code == 200 and ok.json["stage"] == "lost" and ok.json["version"] == 2


def test_moving_to_the_same_stage_is_refused(client, lead):
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/stage", data={"stage": "new", "version": 1})
    assert response.status_code == 422


# --- handover ----------------------------------------------------------------------------------


def test_admin_hands_over_leads_and_open_followups(client, users):
    leaving = users["kumla"]
    successor = make_user("kumla2@test.example", "kumla", "advisor")
    lead = make_lead(leaving, "handover")
    other = make_lead(users["arboga"], "not-moved")
    db.session.add_all([
        FollowUp(lead_id=lead.id, title="open", due_on=lead.received_on, assignee_id=leaving.id),
        FollowUp(lead_id=lead.id, title="done", due_on=lead.received_on, assignee_id=leaving.id,
                 done_at=lead.created_at),
    ])
    db.session.commit()
    login(client, "admin")
    response = client.post("/leads/handover", data={"from_user": leaving.id,
                                                    "to_user": successor.id})
    assert response.status_code == 302
    db.session.refresh(lead)
    assert lead.owner_id == successor.id and lead.version == 2
    assert db.session.get(Lead, other.id).owner_id == users["arboga"].id
    assignees = dict(db.session.execute(sa.select(FollowUp.title, FollowUp.assignee_id)).all())
    assert assignees == {"open": successor.id, "done": leaving.id}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "leads.handover"))
    assert event.after["lead_ids"] == [lead.id]


def test_handover_to_another_municipality_or_by_a_viewer_is_refused(client, users):
    lead = make_lead(users["kumla"], "stay")
    login(client, "admin")
    response = client.post("/leads/handover", data={"from_user": users["kumla"].id,
                                                    "to_user": users["arboga"].id})
    assert response.status_code == 422
    assert db.session.get(Lead, lead.id).owner_id == users["kumla"].id
    client.post("/logout")
    login(client, "viewer")
    assert client.get("/leads/handover").status_code == 403
    assert client.post("/leads/handover", data={"from_user": users["kumla"].id,
                                                "to_user": users["kumla"].id}).status_code == 403


def test_admin_handover_leaves_other_municipalitys_confidential_leads_uncounted(client, users):
    """Item 8 of issue 12: the Örebro admin handed over a Hallsberg advisor's leads,
    confidential ones included, and saw their counts."""
    leaving = users["hallsberg"]
    successor = make_user("hallsberg2@test.example", "hallsberg", "advisor")
    open_lead = make_lead(leaving, "open-h")
    secret = make_lead(leaving, "secret-h", confidential=True)
    db.session.add_all([
        FollowUp(lead_id=open_lead.id, title="visible", due_on=open_lead.received_on,
                 assignee_id=leaving.id),
        FollowUp(lead_id=secret.id, title="hidden", due_on=secret.received_on,
                 assignee_id=leaving.id),
    ])
    db.session.commit()
    login(client, "admin")
    response = client.post("/leads/handover", data={"from_user": leaving.id,
                                                    "to_user": successor.id},
                           follow_redirects=True)
    assert "1 ärenden och 1 uppföljningar lämnades över" in response.get_data(as_text=True)
    assert db.session.get(Lead, open_lead.id).owner_id == successor.id
    assert db.session.get(Lead, secret.id).owner_id == leaving.id
    assignees = dict(db.session.execute(sa.select(FollowUp.title, FollowUp.assignee_id)).all())
    assert assignees == {"visible": successor.id, "hidden": leaving.id}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "leads.handover"))
    assert event.after["lead_ids"] == [open_lead.id]


def test_advisor_hands_over_within_own_municipality_only(client, users):
    colleague = make_user("kumla2@test.example", "kumla", "advisor")
    mine = make_lead(users["kumla"], "kumla-secret", confidential=True)
    theirs = make_lead(users["arboga"], "arboga-lead")
    login(client, "kumla")
    page = client.get("/leads/handover").get_data(as_text=True)
    assert users["kumla"].name in page and users["arboga"].name not in page
    response = client.post("/leads/handover", data={"from_user": users["kumla"].id,
                                                    "to_user": colleague.id})
    assert response.status_code == 302
    assert db.session.get(Lead, mine.id).owner_id == colleague.id
    refused = client.post("/leads/handover", data={"from_user": users["arboga"].id,
                                                   "to_user": colleague.id})
    assert refused.status_code == 422
    assert db.session.get(Lead, theirs.id).owner_id == users["arboga"].id


def test_text_the_database_cannot_store_is_a_field_error(client, users, tokens):
    login(client, "kumla")
    page = client.post("/leads/new", data={"source": "direct",
                                           "description": "Lagerbehov", "codename": "Projekt \x00 Nul"})
    assert page.status_code == 422
    api = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]),
                      json={"source": "direct",
                            "description": "Lagerbehov", "sector": "bad \ud800 surrogate"})
    assert api.status_code == 422 and "sector" in api.json["error"]["fields"]
    assert _count(Lead) == 0
    for url in ("/leads?q=a%00b", "/leads?source=nope&owner=99999999999999&sort=x",
                "/companies?q=%00"):
        assert client.get(url).status_code == 200, url


def test_an_activity_records_when_it_happened(client, users, tokens):
    lead = make_lead(users["kumla"], "when")
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/activities", data={"kind": "meeting", "body": "Möte",
                                                      "at": "2026-11-20T09:30"})
    response = client.post(f"/api/v1/leads/{lead.id}/activities", headers=bearer(tokens["kumla"]),
                           json={"kind": "call", "body": "Samtal", "at": "2026-11-21T08:00:00Z"})
    assert response.status_code == 201 and response.json["at"].startswith("2026-11-21T08:00")
    times = dict(db.session.execute(sa.select(Activity.kind, Activity.at)).all())
    assert times[ActivityKind.MEETING].isoformat().startswith("2026-11-20T08:30")  # 09:30 in Sweden
