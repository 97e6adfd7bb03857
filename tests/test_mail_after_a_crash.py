"""Mail after a crash (issue 13, item 7): a sender killed (kill -9) between the mail
server's answer and the commit leaves its claim `sending`. The mail log decides what
the next sender does: a log row that says `sent` is finished, never resent; a row still
`sending` (outcome unknown) is resent once, with the same Message-ID, and marked a
possible duplicate. The crashed states are committed directly (no process is killed);
the next run is on an injected clock (time-machine) past the lease."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.deliveries import Claim, DeliveryStatus, claim, record_mail_message
from app.digest.models import DigestDelivery
from app.digest.sections import DigestItem, register_section, unregister_section
from app.digest.service import send_weekly_digests
from app.extensions import db
from app.leads.models import FollowUp, ReminderDelivery
from app.leads.reminders import send_follow_up_reminders
from app.mail import service as mail_service
from app.mail.models import MailMessage, MailStatus
from tests.factories import TEST_PASSWORD, make_user
from tests.leads_helpers import make_lead

REMIND_AT = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
AFTER_THE_LEASE = timedelta(minutes=16)
MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # week 49's digest is due
WEEK = "2026-W49"


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def mail(app, smtp_server):
    app.config.update(smtp_server.settings())
    return smtp_server


@pytest.fixture
def follow_up(app, users) -> FollowUp:
    kumla = users["kumla"]
    row = FollowUp(lead_id=make_lead(kumla, "kumla_crash").id, title="Ring vd:n",
                   due_on=date(2026, 12, 2), remind_at=REMIND_AT, assignee_id=kumla.id,
                   created_by_id=kumla.id, municipality_id=kumla.municipality_id)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def something_to_report(app):
    register_section("test_crash", "Att göra", lambda users, _context: {
        user.id: [DigestItem("Förfrågan från Hallsbergs kombiterminal")] for user in users
    })
    yield
    unregister_section("test_crash")


def crashed_sender(model: type, key: dict, user, mail_status: MailStatus) -> tuple[Claim, int]:
    """What a sender killed mid-send leaves behind: its claim `sending` with the
    Message-ID and the log row, which says `mail_status`."""
    held = claim(model, key)
    assert held is not None
    entry = MailMessage(recipient=user.email, user_id=user.id, kind="crashed", subject="Första",
                        locale="sv", status=mail_status, message_id=held.message_id)
    db.session.add(entry)
    db.session.flush()
    record_mail_message(held, entry.id)
    db.session.commit()
    return held, entry.id


def _row(model: type, row_id: int):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _log_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(MailMessage))


def test_reminder_whose_mail_log_says_sent_is_not_resent_after_a_crash(app, mail, users,
                                                                       follow_up):
    key = {"follow_up_id": follow_up.id, "remind_at": REMIND_AT}
    with at(REMIND_AT):
        held, _entry_id = crashed_sender(ReminderDelivery, key, users["kumla"], MailStatus.SENT)
    with at(REMIND_AT + AFTER_THE_LEASE):
        assert send_follow_up_reminders(REMIND_AT + AFTER_THE_LEASE) == 0
        assert send_follow_up_reminders(REMIND_AT + AFTER_THE_LEASE) == 0
    assert mail.received == []
    delivery = _row(ReminderDelivery, held.id)
    assert delivery.status == DeliveryStatus.SENT
    assert _log_count() == 1


def test_reminder_with_unknown_outcome_is_resent_once_with_the_same_message_id(
        app, mail, users, follow_up):
    key = {"follow_up_id": follow_up.id, "remind_at": REMIND_AT}
    with at(REMIND_AT):
        held, entry_id = crashed_sender(ReminderDelivery, key, users["kumla"], MailStatus.SENDING)
    with at(REMIND_AT + timedelta(minutes=14)):  # within the lease: the sender may be alive
        assert send_follow_up_reminders(REMIND_AT + timedelta(minutes=14)) == 0
    with at(REMIND_AT + AFTER_THE_LEASE):
        assert send_follow_up_reminders(REMIND_AT + AFTER_THE_LEASE) == 1
        assert send_follow_up_reminders(REMIND_AT + AFTER_THE_LEASE) == 0
    (message,) = mail.messages()
    assert message["Message-ID"] == held.message_id
    assert message["Subject"] == "Påminnelse: Ring vd:n (Projekt kumla_crash)"
    entry = _row(MailMessage, entry_id)
    assert (entry.status, entry.possible_duplicate) == (MailStatus.SENT, True)
    assert entry.message_id == held.message_id
    assert _log_count() == 1, "the resend resolves the row left 'sending', it adds none"
    delivery = _row(ReminderDelivery, held.id)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_digest_with_unknown_outcome_is_resent_once_and_its_log_row_does_not_stay_sending(
        app, mail, client, auth, something_to_report):
    user = make_user("a@test.example")
    make_user("admin@test.example", role="admin", digest_opt_out=True)
    with at(MONDAY):
        held, entry_id = crashed_sender(DigestDelivery, {"user_id": user.id, "iso_week": WEEK},
                                        user, MailStatus.SENDING)
    with at(MONDAY + AFTER_THE_LEASE):
        assert send_weekly_digests().sent == ["a@test.example"]
        assert send_weekly_digests().sent == []
        assert [message["Message-ID"] for message in mail.messages()] == [held.message_id]
        entry = _row(MailMessage, entry_id)
        assert entry.status == MailStatus.SENT and entry.possible_duplicate
        assert entry.subject == "Din vecka i Etablera, vecka 49"
        assert db.session.scalar(sa.select(sa.func.count()).where(
            MailMessage.status == MailStatus.SENDING)) == 0
        auth.login("admin@test.example", TEST_PASSWORD)
        log = client.get("/admin/mail/").get_data(as_text=True)
        page = client.get(f"/admin/mail/{entry_id}").get_data(as_text=True)
    assert 'data-testid="possible-duplicate"' in log and "möjlig dubblett" in log
    assert "möjlig dubblett" in page and held.message_id.strip("<>") in page
    assert _row(DigestDelivery, held.id).status == DeliveryStatus.SENT


def test_digest_whose_mail_log_says_sent_is_not_resent_after_a_crash(app, mail,
                                                                     something_to_report):
    user = make_user("a@test.example")
    with at(MONDAY):
        held, _entry_id = crashed_sender(DigestDelivery, {"user_id": user.id, "iso_week": WEEK},
                                         user, MailStatus.SENT)
    with at(MONDAY + AFTER_THE_LEASE):
        report = send_weekly_digests()
        assert report.sent == [] and report.not_claimed == ["a@test.example"]
        assert send_weekly_digests().not_claimed == []  # finished: not even considered
    assert mail.received == []
    assert _row(DigestDelivery, held.id).status == DeliveryStatus.SENT


def test_the_claim_names_message_id_and_log_row_before_the_server_is_contacted(
        app, mail, users, follow_up, monkeypatch):
    seen = []
    smtp = mail_service.current_transport()

    class Inspecting:
        def send(self, message):
            with db.engine.connect() as connection:  # what another process would read now
                seen.append(connection.execute(sa.select(
                    ReminderDelivery.message_id, ReminderDelivery.mail_message_id)).one())
            seen.append(message["Message-ID"])
            return smtp.send(message)

    monkeypatch.setattr(mail_service, "current_transport", Inspecting)
    with at(REMIND_AT):
        assert send_follow_up_reminders(REMIND_AT) == 1
    (message_id, mail_message_id), sent_id = seen
    entry = db.session.scalar(sa.select(MailMessage))
    assert message_id == sent_id == entry.message_id == mail.messages()[0]["Message-ID"]
    assert mail_message_id == entry.id
    assert not entry.possible_duplicate


def test_a_retry_after_a_refused_connection_keeps_the_message_id_and_is_no_duplicate(
        app, users, follow_up):
    from tests.smtp import SmtpServer

    server = SmtpServer()  # nothing listens yet
    app.config.update(server.settings())
    try:
        with at(REMIND_AT):
            assert send_follow_up_reminders(REMIND_AT) == 0
        server.start()
        with at(REMIND_AT + timedelta(minutes=5)):
            assert send_follow_up_reminders(REMIND_AT + timedelta(minutes=5)) == 1
    finally:
        server.stop()
    failed, sent = db.session.scalars(sa.select(MailMessage).order_by(MailMessage.id))
    assert failed.status == MailStatus.FAILED and sent.status == MailStatus.SENT
    assert failed.message_id == sent.message_id == server.messages()[0]["Message-ID"]
    assert not failed.possible_duplicate and not sent.possible_duplicate


def test_a_last_attempt_whose_mail_log_says_sent_is_not_shown_as_given_up(app, users,
                                                                          follow_up):
    from app.deliveries import given_up

    app.config["DELIVERY_MAX_ATTEMPTS"] = 1
    key = {"follow_up_id": follow_up.id, "remind_at": REMIND_AT}
    with at(REMIND_AT):
        crashed_sender(ReminderDelivery, key, users["kumla"], MailStatus.SENT)
        other = FollowUp(lead_id=follow_up.lead_id, title="Skicka offert", due_on=date(2026, 12, 3),
                         remind_at=REMIND_AT, assignee_id=follow_up.assignee_id,
                         created_by_id=follow_up.assignee_id,
                         municipality_id=follow_up.municipality_id)
        db.session.add(other)
        db.session.commit()
        unknown, _entry = crashed_sender(ReminderDelivery,
                                         {"follow_up_id": other.id, "remind_at": REMIND_AT},
                                         users["kumla"], MailStatus.SENDING)
    with at(REMIND_AT + AFTER_THE_LEASE):
        assert [row.id for row in given_up(ReminderDelivery)] == [unknown.id]


def test_digest_with_unknown_outcome_and_nothing_left_to_send_closes_its_log_row(
        app, mail, users):
    user = users["kumla"]
    with at(MONDAY):
        held, entry_id = crashed_sender(DigestDelivery, {"user_id": user.id, "iso_week": WEEK},
                                        user, MailStatus.SENDING)
    with at(MONDAY + AFTER_THE_LEASE):
        send_weekly_digests()  # no section has anything: the digest is empty now
    assert mail.messages() == []
    entry = _row(MailMessage, entry_id)
    assert entry.status == MailStatus.UNKNOWN
    assert "nothing left to send" in entry.error
    assert _row(DigestDelivery, held.id).status == DeliveryStatus.SKIPPED


def test_a_log_row_left_sending_that_nothing_retries_becomes_unknown(app, mail, client, auth,
                                                                     users, follow_up):
    from app.deliveries import close_abandoned_mail

    key = {"follow_up_id": follow_up.id, "remind_at": REMIND_AT}
    with at(REMIND_AT):
        _held, entry_id = crashed_sender(ReminderDelivery, key, users["kumla"], MailStatus.SENDING)
    follow_up.done_at = REMIND_AT + timedelta(minutes=5)  # done meanwhile: never reminded again
    db.session.commit()
    with at(REMIND_AT + AFTER_THE_LEASE):
        assert send_follow_up_reminders(REMIND_AT + AFTER_THE_LEASE) == 0
        assert close_abandoned_mail() == 0  # within twice the lease a retry may still come
    with at(REMIND_AT + 2 * AFTER_THE_LEASE):
        assert close_abandoned_mail() == 1
        assert close_abandoned_mail() == 0
    entry = _row(MailMessage, entry_id)
    assert (entry.status, mail.messages()) == (MailStatus.UNKNOWN, [])
    auth.login(users["admin"].email, TEST_PASSWORD)
    log = client.get("/admin/mail/").get_data(as_text=True)
    assert 'data-testid="outcome-unknown"' in log and "okänt utfall" in log
