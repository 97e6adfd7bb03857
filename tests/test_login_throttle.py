"""Login throttling without an attacker's lock (issue 12, item 6): failures counted per
submitted e-mail and per client address in the database, the same 429 for known and
unknown e-mails, the owner still signs in from elsewhere, the same hashing work."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

import app.auth.models as auth_models
from app.auth.models import LoginFailure
from app.extensions import db
from tests.factories import TEST_PASSWORD, make_user

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ATTACKER = "198.51.100.7"
OWNER = "192.0.2.10"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _login(client, email: str, password: str, address: str = ATTACKER):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _failures(client, email: str, times: int, address: str = ATTACKER) -> list:
    return [_login(client, email, "not-the-password", address) for _ in range(times)]


def test_unknown_and_known_email_get_the_same_status_after_eleven_failures(
        client, users, clock):
    known = _failures(client, "kumla@test.example", 11)
    unknown = _failures(client, "nobody@test.example", 11)
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.status_code for r in known] == [200] * 9 + [429] * 2
    assert known[-1].headers["Retry-After"] == unknown[-1].headers["Retry-After"] == "900"
    assert "För många misslyckade försök" in unknown[-1].get_data(as_text=True)


def test_attackers_ten_failures_do_not_stop_the_owner_signing_in_from_another_address(
        client, users, clock):
    assert _failures(client, "kumla@test.example", 10)[-1].status_code == 429
    # The attacker's address is held back, even with the right password …
    assert _login(client, "kumla@test.example", TEST_PASSWORD, ATTACKER).status_code == 429
    # … the owner's is not.
    assert _login(client, "kumla@test.example", TEST_PASSWORD, OWNER).status_code == 302


def test_an_address_that_failed_for_an_attacked_email_gets_no_more_tries(client, users, clock):
    _failures(client, "kumla@test.example", 10, ATTACKER)
    # Spread over many addresses, each further address gets a single try.
    assert _login(client, "kumla@test.example", "guess-1", "203.0.113.1").status_code == 429
    assert _login(client, "kumla@test.example", TEST_PASSWORD, "203.0.113.1").status_code == 429


def test_throttle_lifts_when_the_window_has_passed(client, users, clock):
    _failures(client, "kumla@test.example", 10)
    clock.shift(timedelta(minutes=14))
    assert _login(client, "kumla@test.example", TEST_PASSWORD).status_code == 429
    clock.shift(timedelta(minutes=2))
    assert _login(client, "kumla@test.example", TEST_PASSWORD).status_code == 302


def test_failures_outside_the_window_do_not_add_up(client, users, clock):
    _failures(client, "kumla@test.example", 9)
    clock.shift(timedelta(minutes=16))
    assert _login(client, "kumla@test.example", "wrong").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 1


def test_a_successful_login_forgets_its_own_failures(client, users, clock):
    _failures(client, "kumla@test.example", 9)
    assert _login(client, "kumla@test.example", TEST_PASSWORD).status_code == 302
    client.post("/logout")
    assert _failures(client, "kumla@test.example", 9)[-1].status_code == 200


def test_one_address_guessing_many_accounts_is_throttled(app, client, users, clock):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 5
    answers = [_login(client, f"guess{n}@test.example", "x").status_code for n in range(6)]
    assert answers == [200] * 4 + [429] * 2
    assert _login(client, "kumla@test.example", TEST_PASSWORD, ATTACKER).status_code == 429
    assert _login(client, "kumla@test.example", TEST_PASSWORD, OWNER).status_code == 302


def test_failures_live_in_the_database_without_the_email_in_clear(client, users, clock):
    """Every gunicorn worker sees the same counts; the table never holds what was typed."""
    _failures(client, "Kumla@Test.Example ", 3)
    rows = db.session.scalars(sa.select(LoginFailure)).all()
    assert len(rows) == 3
    assert {row.address for row in rows} == {ATTACKER}
    assert all("kumla" not in row.email_key for row in rows)
    assert len({row.email_key for row in rows}) == 1


def test_known_and_unknown_emails_verify_the_same_number_of_password_hashes(
        client, users, monkeypatch, clock):
    calls = []
    real = auth_models.check_password_hash

    def counting(password_hash, password):
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(auth_models, "check_password_hash", counting)
    make_user("invited@test.example", "kumla", password_hash=None)
    counts = {}
    for email in ("kumla@test.example", "nobody@test.example", "invited@test.example"):
        before = len(calls)
        _login(client, email, "not-the-password")
        counts[email] = len(calls) - before
    assert counts == {"kumla@test.example": 1, "nobody@test.example": 1,
                      "invited@test.example": 1}
    # The dummy hash is of the same kind (scrypt) as the real ones.
    assert calls[1].split("$")[0] == calls[0].split("$")[0]


def test_a_throttled_attempt_checks_no_password(client, users, monkeypatch, clock):
    _failures(client, "kumla@test.example", 10)
    calls = []
    monkeypatch.setattr(auth_models, "check_password_hash", lambda *args: calls.append(1))
    assert _login(client, "kumla@test.example", TEST_PASSWORD).status_code == 429
    assert calls == []


def test_without_proxy_hops_x_forwarded_for_is_ignored(client, users, clock):
    client.post("/login", data={"email": "kumla@test.example", "password": "wrong"},
                headers={"X-Forwarded-For": "203.0.113.9"})
    assert db.session.scalar(sa.select(LoginFailure.address)) == "127.0.0.1"


@pytest.mark.parametrize("app_overrides", [{"PROXY_HOPS": 1}])
def test_behind_one_proxy_x_forwarded_for_decides_the_address(client, users, clock):
    client.post("/login", data={"email": "kumla@test.example", "password": "wrong"},
                headers={"X-Forwarded-For": "203.0.113.66, 203.0.113.9"})
    assert db.session.scalar(sa.select(LoginFailure.address)) == "203.0.113.9"
