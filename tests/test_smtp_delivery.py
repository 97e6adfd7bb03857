"""Digests through a real SMTP server on loopback: encoding, TLS, failures, retries, leases."""

import ssl
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.deliveries import DeliveryStatus, Outcome, claim, finish, run_delivery
from app.digest.models import DigestDelivery
from app.digest.sections import DigestItem, register_section, unregister_section
from app.digest.service import send_weekly_digests
from app.extensions import db
from app.mail.models import MailMessage, MailStatus
from tests.factories import TEST_PASSWORD, make_user
from tests.mailbox import html_part, text_part
from tests.smtp import SmtpServer, self_signed_certificate

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # week 49's digest is due
WEEK = "2026-W49"


@pytest.fixture
def something_to_report(app):
    register_section("test_smtp", "Att göra", lambda users, _context: {
        user.id: [DigestItem("Förfrågan från Hallsbergs kombiterminal – åäö ÅÄÖ")] for user in users
    })
    yield
    unregister_section("test_smtp")


def _delivery(user) -> DigestDelivery:
    db.session.expire_all()
    return db.session.scalar(sa.select(DigestDelivery).where(DigestDelivery.user_id == user.id))


def test_digest_arrives_with_both_parts_and_swedish_letters_intact(app, smtp_server,
                                                                   something_to_report):
    app.config.update(smtp_server.settings())
    make_user("asa@test.example", name="Åsa Öström")
    with time_machine.travel(MONDAY, tick=False):
        assert send_weekly_digests().sent == ["asa@test.example"]
    raw = smtp_server.raw()[0]
    assert raw.isascii(), "headers and body are transfer-encoded for any SMTP server"
    assert b"charset=\"utf-8\"" in raw
    (message,) = smtp_server.messages()
    assert message["Subject"] == "Din vecka i Etablera, vecka 49"
    assert message.get_content_type() == "multipart/alternative"
    assert message["To"].addresses[0].display_name == "Åsa Öström"
    for part in (text_part(message), html_part(message)):
        assert "Hej Åsa Öström!" in part
        assert "Förfrågan från Hallsbergs kombiterminal – åäö ÅÄÖ" in part
    assert smtp_server.recipient_counts() == {"asa@test.example": 1}


@pytest.fixture
def tls_server(tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = SmtpServer(tls_context=context).start()
    server.certificate = cert
    yield server
    server.stop()


def test_starttls_refuses_a_server_with_an_untrusted_certificate(app, tls_server,
                                                                 something_to_report):
    app.config.update(tls_server.settings(MAIL_USE_TLS=True))
    user = make_user("a@test.example")
    with time_machine.travel(MONDAY, tick=False):
        assert send_weekly_digests().failed == ["a@test.example"]
    assert tls_server.received == []
    entry = db.session.scalar(sa.select(MailMessage))
    assert entry.status == MailStatus.FAILED
    assert "CERTIFICATE_VERIFY_FAILED" in entry.error
    assert "CERTIFICATE_VERIFY_FAILED" in _delivery(user).last_error


def test_starttls_works_when_the_certificate_is_trusted(app, tls_server, something_to_report):
    """The control: the refusal above is the certificate check, not TLS failing anyway."""
    trusting = ssl.create_default_context(cafile=str(tls_server.certificate))
    app.config.update(tls_server.settings(MAIL_USE_TLS=True, MAIL_SSL_CONTEXT=trusting))
    make_user("a@test.example")
    with time_machine.travel(MONDAY, tick=False):
        assert send_weekly_digests().sent == ["a@test.example"]
    assert tls_server.recipient_counts() == {"a@test.example": 1}


def test_smtp_down_then_back_fails_retries_with_back_off_and_delivers_once(
        app, something_to_report):
    server = SmtpServer()  # a reserved port where nothing listens yet
    app.config.update(server.settings())
    users = [make_user(f"u{n}@test.example") for n in range(3)]
    try:
        with time_machine.travel(MONDAY, tick=False):
            report = send_weekly_digests()
            assert sorted(report.failed) == [user.email for user in users]
            first = _delivery(users[0])
            assert (first.status, first.attempts) == (DeliveryStatus.FAILED, 1)
            assert "ConnectionRefusedError" in first.last_error
            assert first.next_attempt_at == MONDAY + timedelta(minutes=5)
            server.start()
            # Within the back-off nobody tries again, even though the server is back.
            assert send_weekly_digests().sent == []
        with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
            assert sorted(send_weekly_digests().sent) == [user.email for user in users]
            assert _delivery(users[0]).status == DeliveryStatus.SENT
            assert _delivery(users[0]).attempts == 2
            assert send_weekly_digests().sent == []
    finally:
        server.stop()
    assert server.recipient_counts() == {user.email: 1 for user in users}


def test_after_the_last_attempt_a_delivery_gives_up_and_admins_see_it_in_red(
        app, client, auth, something_to_report):
    app.config.update(SmtpServer().settings(), DELIVERY_MAX_ATTEMPTS=2)
    user = make_user("a@test.example")
    make_user("admin@test.example", role="admin", digest_opt_out=True)
    moment = MONDAY
    for attempt in (1, 2):
        with time_machine.travel(moment, tick=False):
            assert send_weekly_digests().failed == ["a@test.example"], attempt
        moment += timedelta(hours=1)
    with time_machine.travel(moment, tick=False):
        report = send_weekly_digests()
        assert report.failed == [] and report.sent == []  # no more attempts
        assert _delivery(user).attempts == 2
        auth.login("admin@test.example", TEST_PASSWORD)
        start = client.get("/admin/").get_data(as_text=True)
        assert "1 e-postutskick misslyckades upprepade gånger" in start
        log = client.get("/admin/mail/").get_data(as_text=True)
    assert 'data-testid="given-up"' in log and "a@test.example · 2026-W49" in log
    assert "ConnectionRefusedError" in log


def test_a_claim_stuck_in_sending_is_taken_over_after_the_lease(app, smtp_server,
                                                                something_to_report):
    app.config.update(smtp_server.settings())
    user = make_user("a@test.example")
    with time_machine.travel(MONDAY, tick=False):
        held = claim(DigestDelivery, {"user_id": user.id, "iso_week": WEEK})
        assert held is not None  # …and then this sender dies without finishing
    with time_machine.travel(MONDAY + timedelta(minutes=14), tick=False):
        assert send_weekly_digests().sent == []
        assert _delivery(user).effective_status() == DeliveryStatus.SENDING
    with time_machine.travel(MONDAY + timedelta(minutes=15), tick=False):
        assert _delivery(user).effective_status() == DeliveryStatus.FAILED
        assert send_weekly_digests().sent == ["a@test.example"]
        # The dead sender's late report cannot overwrite the new claim's outcome.
        finish(held, Outcome.FAILED, "late")
        assert _delivery(user).status == DeliveryStatus.SENT
    assert smtp_server.recipient_counts() == {"a@test.example": 1}


def test_only_the_claimer_sends(app, users):
    key = {"user_id": users["kumla"].id, "iso_week": WEEK}
    assert claim(DigestDelivery, key) is not None
    calls = []
    assert run_delivery(DigestDelivery, key, lambda: calls.append(1)) == Outcome.NOT_CLAIMED
    assert calls == []
