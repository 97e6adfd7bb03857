"""Issue 17, @mentions and each municipality's own diarienummer: the autocomplete offers
only active users who may read the activity (internal: the owning municipality only); a
mention is stored as a reference to the user and notifies them by codename only; an id
outside the audience is refused with a clear message and nothing is saved. A partner's
own diarienummer is shown to that municipality alone."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import Activity, ActivityMention, LeadShare, ShareLevel
from app.notifications.models import Notification
from app.notifications.wording import text_of
from tests.factories import make_user
from tests.leads_helpers import bearer, login, make_lead, share


def _names(client, lead_id: int, q: str = "", internal: str = "1") -> list[str]:
    response = client.get(f"/leads/{lead_id}/mentionable?q={q}&internal={internal}")
    assert response.status_code == 200
    return sorted(person["name"] for person in response.get_json())


def test_the_autocomplete_offers_only_the_activitys_audience(client, users):
    colleague = make_user("kumla2@test.example", "kumla", "advisor", name="Zelda Berg")
    make_user("gone@test.example", "kumla", "advisor", name="Zelda Borta", active=False)
    make_user("hb2@test.example", "hallsberg", "viewer", name="Zelda Hallsberg")
    make_user("ar2@test.example", "arboga", "advisor", name="Zelda Arboga")
    lead = make_lead(users["kumla"], "nämn")
    share(lead, "hallsberg", ShareLevel.ANONYMISED)
    login(client, "kumla")
    internal = _names(client, lead.id, "zelda", "1")
    assert internal == ["Zelda Berg"]  # the owning municipality only; not the inactive one
    shared = _names(client, lead.id, "ZELDA", "0")
    assert shared == ["Zelda Berg", "Zelda Hallsberg"]  # plus the partner; never Arboga
    assert colleague.name in _names(client, lead.id, "berg", "1")  # a word's start
    make_user("kumla3@test.example", "kumla", "advisor", name="Azelda Ström")
    assert _names(client, lead.id, "zel", "1") == ["Zelda Berg"]  # not inside a word
    everyone = {person["name"] for person in client.get(
        f"/leads/{lead.id}/mentionable?internal=0").get_json()}
    assert users["arboga"].name not in everyone and "Zelda Arboga" not in everyone
    assert users["admin"].name not in everyone


def test_outsiders_and_viewers_get_nothing(client, users):
    lead = make_lead(users["kumla"], "stängd")
    login(client, "arboga")  # not shared with Arboga
    assert client.get(f"/leads/{lead.id}/mentionable?q=a").status_code == 404
    client.post("/logout")
    login(client, "viewer")  # Kumla's viewer reads but does not write activities
    assert client.get(f"/leads/{lead.id}/mentionable?q=a").status_code == 403


def test_a_mention_is_a_reference_and_notifies_by_codename_only(client, users):
    colleague = make_user("kumla2@test.example", "kumla", "advisor", name="Zelda Berg")
    lead = make_lead(users["kumla"], "omnämnd")
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/activities", data={
        "kind": "note", "body": "@Zelda Berg kan du ringa vd om elnätet?", "internal": "y",
        "mentions": str(colleague.id)})
    assert response.status_code == 302
    activity = db.session.scalar(sa.select(Activity).where(Activity.body.like("@Zelda%")))
    assert [m.user_id for m in activity.mentions] == [colleague.id]
    (told,) = db.session.scalars(sa.select(Notification).where(Notification.kind == "mentioned"))
    assert told.user_id == colleague.id
    assert told.url == f"/leads/{lead.id}#activity-{activity.id}"
    assert text_of(told) == f"{users['kumla'].name} nämnde dig i Projekt omnämnd"
    assert "elnätet" not in str(told.params)
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert 'data-testid="mentions"' in page and "@Zelda Berg" in page


def test_a_mention_outside_the_audience_is_refused_and_nothing_saved(client, users):
    lead = make_lead(users["kumla"], "intern")
    share(lead, "hallsberg", ShareLevel.FULL)
    login(client, "kumla")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Activity))
    response = client.post(f"/leads/{lead.id}/activities", data={
        "kind": "note", "body": "@Hallsberg hemligt", "internal": "y",
        "mentions": str(users["hallsberg"].id)}, follow_redirects=True)
    assert "Du kan bara nämna personer som får läsa aktiviteten" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0
    # not internal: the partner may read it, so may be mentioned
    client.post(f"/leads/{lead.id}/activities", data={
        "kind": "note", "body": "@Hallsberg titta på tomten", "mentions": str(users["hallsberg"].id)})
    assert db.session.scalar(sa.select(ActivityMention.user_id)) == users["hallsberg"].id


def test_the_api_takes_mentions_and_refuses_outsiders(client, users, tokens):
    lead = make_lead(users["kumla"], "api")
    refused = client.post(f"/api/v1/leads/{lead.id}/activities", headers=bearer(tokens["kumla"]),
                          json={"kind": "note", "body": "@Arboga", "mentions": [users["arboga"].id]})
    assert refused.status_code == 422
    made = client.post(f"/api/v1/leads/{lead.id}/activities", headers=bearer(tokens["kumla"]),
                       json={"kind": "call", "body": "@Viewer", "mentions": [users["viewer"].id]})
    assert made.status_code == 201 and made.get_json()["mentions"] == [users["viewer"].id]


def test_a_partners_own_diarienummer_is_seen_by_that_municipality_only(client, users):
    lead = make_lead(users["kumla"], "diarie")
    share(lead, "hallsberg", ShareLevel.FULL)
    share(lead, "arboga", ShareLevel.FULL)
    login(client, "hallsberg")
    response = client.post(f"/leads/{lead.id}/partner-registration-number",
                           data={"registration_number": "KS 2026/417"})
    assert response.status_code == 302
    assert "Vårt diarienummer: KS 2026/417" in client.get(f"/leads/{lead.id}").get_data(as_text=True)
    for who in ("kumla", "arboga"):
        client.post("/logout")
        login(client, who)
        page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
        assert "KS 2026/417" not in page, who
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "share.registration_number"))
    assert event.object_type == "lead_share" and event.after["registration_number"] == "KS 2026/417"


def test_viewers_and_owners_cannot_set_a_partner_number(client, users):
    lead = make_lead(users["kumla"], "diarie2")
    share(lead, "hallsberg", ShareLevel.FULL)
    make_user("hbviewer@test.example", "hallsberg", "viewer")
    login(client, "kumla")
    assert client.post(f"/leads/{lead.id}/partner-registration-number",
                       data={"registration_number": "X"}).status_code == 403
    client.post("/logout")
    client.post("/login", data={"email": "hbviewer@test.example",
                                "password": "correct-horse-battery"})
    assert client.post(f"/leads/{lead.id}/partner-registration-number",
                       data={"registration_number": "X"}).status_code == 403
    assert db.session.scalar(sa.select(LeadShare.registration_number)) is None
