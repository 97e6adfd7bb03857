from datetime import timedelta

import sqlalchemy as sa
import time_machine

from app.auth.models import User
from app.clock import utcnow
from app.extensions import db
from tests.factories import TEST_PASSWORD, make_user
from tests.mailbox import text_part


def _link_path(message) -> str:
    line = next(line for line in text_part(message).splitlines() if "http://etablera.test/" in line)
    return line.strip().removeprefix("http://etablera.test")


def test_login_with_right_password_shows_start_page(client, auth, users):
    response = auth.login("kumla@test.example", TEST_PASSWORD)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Välkommen" in page
    assert users["kumla"].name in page


def test_email_is_matched_case_insensitively(client, auth, users):
    assert auth.login("KUMLA@Test.Example", TEST_PASSWORD).status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth, users):
    wrong = auth.login("kumla@test.example", "not-the-password").get_data(as_text=True)
    unknown = auth.login("nobody@test.example", "not-the-password").get_data(as_text=True)
    assert "Fel e-postadress eller lösenord." in wrong
    assert "Fel e-postadress eller lösenord." in unknown
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_log_in(client, auth, app):
    make_user("gone@test.example", active=False)
    response = auth.login("gone@test.example", TEST_PASSWORD)
    assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)


def test_failures_outside_the_window_do_not_add_up(client, auth, users):
    for _ in range(9):
        auth.login("kumla@test.example", "wrong")
    with time_machine.travel(utcnow() + timedelta(minutes=16), tick=False):
        assert auth.login("kumla@test.example", "wrong").status_code == 200
        assert auth.login("kumla@test.example", TEST_PASSWORD).status_code == 302


def test_logout_needs_post_and_ends_the_session(client, auth, users):
    auth.login("kumla@test.example", TEST_PASSWORD)
    assert client.get("/logout").status_code == 405
    auth.logout()
    assert client.get("/").status_code == 302


def test_login_redirect_never_leaves_the_site(client, users):
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": "kumla@test.example", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_password_reset_link_sets_password_once(client, auth, users, outbox):
    client.post("/reset", data={"email": "kumla@test.example"})
    message = outbox.last()
    assert message["To"].addresses[0].addr_spec == "kumla@test.example"
    assert message["Subject"] == "Återställ ditt lösenord till Etablera"
    path = _link_path(message)
    new = {"password": "a-brand-new-secret", "confirm": "a-brand-new-secret"}
    assert client.post(path, data=new).status_code == 302
    assert auth.login("kumla@test.example", "a-brand-new-secret").status_code == 302
    auth.logout()
    again = client.post(path, data={"password": "third-secret-xx", "confirm": "third-secret-xx"})
    assert again.headers["Location"].endswith("/reset")
    assert auth.login("kumla@test.example", "third-secret-xx").status_code == 200


def test_password_reset_link_expires_after_an_hour(client, users, outbox):
    client.post("/reset", data={"email": "kumla@test.example"})
    path = _link_path(outbox.last())
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        response = client.post(path, data={"password": "later-secret-x", "confirm": "later-secret-x"})
    assert response.headers["Location"].endswith("/reset")
    assert db.session.get(User, users["kumla"].id).check_password(TEST_PASSWORD)


def test_reset_for_unknown_email_sends_nothing_and_says_the_same(client, outbox):
    response = client.post("/reset", data={"email": "nobody@test.example"}, follow_redirects=True)
    assert "Om adressen hör till ett konto" in response.get_data(as_text=True)
    assert outbox.messages() == []


def test_short_password_is_a_field_error_and_changes_nothing(client, users, outbox):
    client.post("/reset", data={"email": "kumla@test.example"})
    path = _link_path(outbox.last())
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert "Lösenordet måste ha minst 10 tecken." in response.get_data(as_text=True)
    assert db.session.get(User, users["kumla"].id).check_password(TEST_PASSWORD)


def test_admin_invites_a_user_who_sets_a_password(client, auth, users, outbox):
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post(
        "/admin/users/new",
        data={"email": "New.Person@Test.Example", "name": "Ny Person", "municipality": "arboga",
              "role": "advisor", "locale": "en", "active": "y"},
    )
    assert response.status_code == 302
    created = db.session.scalar(sa.select(User).where(User.email == "new.person@test.example"))
    assert created.municipality.slug == "arboga" and created.password_hash is None
    message = outbox.last()
    assert message["Subject"] == "You are invited to Etablera"  # the invitee's language
    auth.logout()
    path = _link_path(message)
    assert path.startswith("/invitation/")
    client.post(path, data={"password": "my-own-secret-1", "confirm": "my-own-secret-1"})
    assert auth.login("new.person@test.example", "my-own-secret-1").status_code == 302


def test_invitation_with_existing_email_is_a_field_error(client, auth, users):
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post(
        "/admin/users/new",
        data={"email": "kumla@test.example", "name": "X", "municipality": "kumla",
              "role": "viewer", "locale": "sv"},
    )
    assert response.status_code == 200
    assert "Det finns redan ett konto" in response.get_data(as_text=True)


def test_overlong_name_is_a_field_error_not_a_500(client, auth, users):
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post(
        "/admin/users/new",
        data={"email": "long@test.example", "name": "x" * 121, "municipality": "kumla",
              "role": "viewer", "locale": "sv"},
    )
    assert response.status_code == 200
    assert "Högst 120 tecken." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "long@test.example")) is None


def test_user_locale_switches_the_interface_to_english(client, auth, users):
    auth.login("kumla@test.example", TEST_PASSWORD)
    client.post("/profile", data={"name": "Karin", "locale": "en"})
    assert "Welcome, Karin" in client.get("/").get_data(as_text=True)


def test_visitor_language_follows_accept_language(client):
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Log in to Etablera" in english.get_data(as_text=True)
    swedish = client.get("/login")
    assert "Logga in i Etablera" in swedish.get_data(as_text=True)


def test_users_token_prints_a_working_bearer_token(app, runner, client, users):
    result = runner.invoke(args=["users", "token", "kumla@test.example"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json["municipality"] == "kumla"
    assert token not in str(db.session.scalars(sa.text("select token_hash from api_tokens")).all())


def test_users_create_sends_an_invitation(app, runner, outbox):
    result = runner.invoke(args=["users", "create", "--email", "cli@test.example", "--name",
                                 "Cli User", "--municipality", "hallsberg", "--role", "viewer"])
    assert result.exit_code == 0, result.output
    assert outbox.last()["To"].addresses[0].addr_spec == "cli@test.example"


def test_users_create_refuses_an_unknown_municipality(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "x@test.example", "--name", "X",
                                 "--municipality", "stockholm", "--role", "viewer"])
    assert result.exit_code != 0
    assert "unknown municipality" in result.output
