"""Sessions end when they should (issue 12, item 4): the login id carries the user's
session generation, so a password reset or change, sign out everywhere, deactivation and
a role or municipality change end every session and remember-me cookie."""

import sqlalchemy as sa

from app.auth.models import User
from app.core.models import AuditEvent
from app.extensions import db
from tests.factories import TEST_PASSWORD
from tests.mailbox import text_part

COOKIES = ("session", "remember_token")
NEW_PASSWORD = "a-brand-new-secret"


def _signed_in_elsewhere(app, email: str) -> dict[str, str]:
    """Log in with "keep me logged in" on another device; its session and remember-me cookies."""
    device = app.test_client()
    response = device.post("/login", data={"email": email, "password": TEST_PASSWORD,
                                           "remember": "y"})
    assert response.status_code == 302
    cookies = {name: device.get_cookie(name).value for name in COOKIES}
    assert all(_works(app, name, value) for name, value in cookies.items())
    return cookies


def _works(app, name: str, value: str) -> bool:
    """Whether this one cookie, alone in a fresh browser, opens the start page."""
    browser = app.test_client()
    browser.set_cookie(name, value)
    return browser.get("/").status_code == 200


def _dead(app, cookies: dict[str, str]) -> bool:
    return not any(_works(app, name, value) for name, value in cookies.items())


def _admin_edit(client, user, **changes):
    data = {"name": user.name, "municipality": user.municipality.slug, "role": user.role.value,
            "locale": user.locale, "active": "y", **changes}
    if data["active"] is None:
        del data["active"]
    return client.post(f"/admin/users/{user.id}", data=data)


def test_old_session_and_remember_me_cookie_stop_working_after_a_password_reset(
        app, client, users, outbox):
    cookies = _signed_in_elsewhere(app, "kumla@test.example")
    client.post("/reset", data={"email": "kumla@test.example"})
    line = next(line for line in text_part(outbox.last()).splitlines() if "/reset/" in line)
    path = line.strip().removeprefix("http://etablera.test")
    assert client.post(path, data={"password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD}).status_code == 302
    assert _dead(app, cookies)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client, auth, users):
    cookies = _signed_in_elsewhere(app, "kumla@test.example")
    client.post("/login", data={"email": "kumla@test.example", "password": TEST_PASSWORD,
                                "remember": "y"})
    response = client.post("/profile/password", data={
        "current": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _dead(app, cookies)
    assert client.get("/").status_code == 200
    # This browser's new remember-me cookie works on its own.
    assert _works(app, "remember_token", client.get_cookie("remember_token").value)
    assert db.session.get(User, users["kumla"].id).check_password(NEW_PASSWORD)
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_id == users["kumla"].id, AuditEvent.object_type == "user"))
    assert {"user.password_changed", "user.sessions_ended"} <= set(actions)


def test_changing_the_password_needs_the_current_one(client, auth, users):
    auth.login("kumla@test.example")
    response = client.post("/profile/password", data={
        "current": "not-the-password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert "Det nuvarande lösenordet är fel." in response.get_data(as_text=True)
    assert db.session.get(User, users["kumla"].id).check_password(TEST_PASSWORD)
    assert client.get("/").status_code == 200


def test_changing_the_password_follows_the_reset_rules(client, auth, users):
    auth.login("kumla@test.example")
    response = client.post("/profile/password", data={
        "current": TEST_PASSWORD, "password": "short", "confirm": "short"})
    assert "Lösenordet måste ha minst 10 tecken." in response.get_data(as_text=True)
    response = client.post("/profile/password", data={
        "current": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert "Lösenorden är olika." in response.get_data(as_text=True)
    assert db.session.get(User, users["kumla"].id).check_password(TEST_PASSWORD)


def test_guessing_the_current_password_is_throttled_like_a_login(client, auth, users):
    auth.login("kumla@test.example")
    answers = [client.post("/profile/password", data={
        "current": f"guess-{n}", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        for n in range(11)]
    assert answers[-1] == 429


def test_sign_out_everywhere_ends_every_session_also_this_one(app, client, auth, users):
    cookies = _signed_in_elsewhere(app, "kumla@test.example")
    auth.login("kumla@test.example")
    assert "Logga ut överallt" in client.get("/profile").get_data(as_text=True)
    response = client.post("/profile/sessions/revoke")
    assert response.headers["Location"].endswith("/login")
    assert client.get("/").status_code == 302
    assert _dead(app, cookies)
    assert db.session.scalar(sa.select(AuditEvent.after).where(
        AuditEvent.action == "user.sessions_ended")) == {"reason": "signed_out_everywhere"}


def test_sign_out_everywhere_needs_post(client, auth, users):
    auth.login("kumla@test.example")
    assert client.get("/profile/sessions/revoke").status_code == 405


def test_deactivation_ends_every_session(app, client, auth, users):
    cookies = _signed_in_elsewhere(app, "kumla@test.example")
    auth.login("admin@test.example")
    assert _admin_edit(client, users["kumla"], active=None).status_code == 302
    assert _dead(app, cookies)
    assert db.session.get(User, users["kumla"].id).session_generation == 1


def test_municipality_change_ends_every_session(app, client, auth, users):
    cookies = _signed_in_elsewhere(app, "viewer@test.example")
    auth.login("admin@test.example")
    assert _admin_edit(client, users["viewer"], municipality="arboga").status_code == 302
    assert _dead(app, cookies)


def test_role_change_ends_every_session(app, client, auth, users):
    cookies = _signed_in_elsewhere(app, "viewer@test.example")
    auth.login("admin@test.example")
    assert _admin_edit(client, users["viewer"], role="advisor").status_code == 302
    assert _dead(app, cookies)


def test_a_name_change_keeps_the_sessions(app, client, auth, users):
    cookies = _signed_in_elsewhere(app, "viewer@test.example")
    auth.login("admin@test.example")
    assert _admin_edit(client, users["viewer"], name="Nytt Namn").status_code == 302
    assert all(_works(app, name, value) for name, value in cookies.items())


def test_a_login_id_of_the_old_form_is_refused(app, users):
    from app.auth import load_user

    user = users["kumla"]
    assert load_user(str(user.id)) is None
    assert load_user(f"{user.id}:0") == user
    assert load_user(f"{user.id}:1") is None
