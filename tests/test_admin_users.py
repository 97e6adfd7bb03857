"""Admins inside the rules (issue 12, item 2b): no changes to their own role or
municipality; a move to another municipality waits for open work to be handed over and
revokes sessions, API tokens and calendar feeds; new accounts are announced to the
advisors of their municipality."""

import sqlalchemy as sa

from app.auth.models import ApiToken, User
from app.auth.service import issue_api_token
from app.calendar_feed.service import renew_secret
from app.clock import utcnow
from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import FollowUp, Stage
from tests.factories import make_user
from tests.leads_helpers import add_followups, make_lead
from tests.mailbox import text_part


def _edit(client, user, **changes):
    data = {"name": user.name, "municipality": user.municipality.slug, "role": user.role.value,
            "locale": user.locale, "active": "y", **changes}
    return client.post(f"/admin/users/{user.id}", data=data)


def _reloaded(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_admin_cannot_move_own_account_to_another_municipality(client, auth, users):
    auth.login("admin@test.example")
    response = _edit(client, users["admin"], municipality="arboga")
    assert response.status_code == 409
    assert "Du kan inte ändra din egen roll eller kommun" in response.get_data(as_text=True)
    admin = _reloaded(users["admin"])
    assert admin.municipality.slug == "orebro"
    assert client.get("/").status_code == 200  # nothing changed, not even the session


def test_admin_cannot_change_own_role(client, auth, users):
    auth.login("admin@test.example")
    assert _edit(client, users["admin"], role="advisor").status_code == 409
    assert _reloaded(users["admin"]).is_admin


def test_admin_may_still_edit_own_name(client, auth, users):
    auth.login("admin@test.example")
    assert _edit(client, users["admin"], name="Samordnaren").status_code == 302
    assert _reloaded(users["admin"]).name == "Samordnaren"
    assert client.get("/").status_code == 200


def test_moving_a_user_revokes_api_tokens_and_calendar_feed(app, client, auth, users):
    viewer = users["viewer"]
    token = issue_api_token(viewer)
    secret = renew_secret(viewer)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    assert client.get(f"/calendar/{secret}.ics").status_code == 200
    auth.login("admin@test.example")
    assert _edit(client, viewer, municipality="arboga").status_code == 302
    assert _reloaded(viewer).municipality.slug == "arboga"
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert client.get(f"/calendar/{secret}.ics").status_code == 404
    assert db.session.scalar(sa.select(ApiToken.revoked_at)) is not None
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "user.credentials_revoked"))
    assert event.actor_id == users["admin"].id
    assert event.after == {"api_tokens": 1, "calendar_feeds": 1}


def test_moving_a_user_who_holds_open_leads_is_refused(client, auth, users):
    kumla = users["kumla"]
    make_lead(kumla, "open_one")
    token = issue_api_token(kumla)
    auth.login("admin@test.example")
    response = _edit(client, kumla, municipality="arboga")
    assert response.status_code == 409
    assert "1 öppna ärenden och 0 öppna uppföljningar" in response.get_data(as_text=True)
    assert "Lämna över dem" in response.get_data(as_text=True)
    moved = _reloaded(kumla)
    assert moved.municipality.slug == "kumla" and moved.session_generation == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code \
        == 200


def test_moving_a_user_who_holds_open_follow_ups_is_refused(client, auth, users):
    lead = make_lead(users["kumla"], "colleague")
    add_followups(lead, users["viewer"], 3)
    auth.login("admin@test.example")
    response = _edit(client, users["viewer"], municipality="arboga")
    assert response.status_code == 409
    assert "0 öppna ärenden och 1 öppna uppföljningar" in response.get_data(as_text=True)
    assert _reloaded(users["viewer"]).municipality.slug == "kumla"


def test_closed_leads_and_done_follow_ups_do_not_hold_a_move(client, auth, users):
    kumla = users["kumla"]
    lead = make_lead(kumla, "won_one", stage=Stage.WON)
    add_followups(lead, kumla, 1)
    db.session.execute(sa.update(FollowUp).values(done_at=utcnow()))
    db.session.commit()
    auth.login("admin@test.example")
    assert _edit(client, kumla, municipality="arboga").status_code == 302
    assert _reloaded(kumla).municipality.slug == "arboga"


def test_creating_a_user_announces_it_to_the_advisors_of_its_municipality(
        client, auth, users, outbox):
    make_user("kumla.en@test.example", "kumla", "advisor", locale="en", name="Eng Lish")
    make_user("kumla.gone@test.example", "kumla", "advisor", active=False)
    auth.login("admin@test.example")
    response = client.post("/admin/users/new", data={
        "email": "ny@test.example", "name": "Ny Person", "municipality": "kumla",
        "role": "viewer", "locale": "sv", "active": "y"})
    assert response.status_code == 302
    announcements = {message["To"].addresses[0].addr_spec: message
                     for message in outbox.messages() if "Ny Person" in message["Subject"]}
    assert set(announcements) == {"kumla@test.example", "kumla.en@test.example"}
    swedish = announcements["kumla@test.example"]
    assert swedish["Subject"] == "Nytt konto i Etablera: Ny Person"
    body = text_part(swedish)
    assert "Roll: läsare" in body and "ny@test.example" in body
    assert f"Skapat av: {users['admin'].name}" in body
    english = announcements["kumla.en@test.example"]
    assert english["Subject"] == "New account in Etablera: Ny Person"
    assert "Role: viewer" in text_part(english)
    created = db.session.scalar(sa.select(User).where(User.email == "ny@test.example"))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.object_id == created.id and event.actor_id == users["admin"].id
    assert event.after["municipality"] == "kumla" and event.after["role"] == "viewer"
