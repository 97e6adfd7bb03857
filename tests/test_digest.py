"""The weekly digest: who gets one, when it is due (Stockholm time), exactly once."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import get_locale

from app.deliveries import DeliveryStatus
from app.digest.models import DigestDelivery
from app.digest.sections import DigestItem, register_section, unregister_section
from app.digest.service import overdue_digest_count, send_weekly_digests
from app.digest.weeks import IsoWeek, digest_due_at
from app.extensions import db
from app.reminders.service import register_reminder_sender, unregister_reminder_sender
from tests.factories import TEST_PASSWORD, make_user
from tests.mailbox import html_part, text_part

# Monday 30 November 2026 (week 49) at 07:00 in Stockholm.
MONDAY_W49_0700_LOCAL = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # CET = UTC+1


class Notes:
    """A test-only digest section: items per e-mail address, and who was asked."""

    def __init__(self) -> None:
        self.items: dict[str, list[DigestItem]] = {}
        self.calls: list[tuple[list[str], str]] = []

    def collect(self, users, context):
        self.calls.append(([user.email for user in users], str(get_locale())))
        return {user.id: self.items[user.email] for user in users if user.email in self.items}


@pytest.fixture
def notes(app):
    section = Notes()
    register_section("test_notes", "Anteckningar", section.collect, order=1)
    yield section
    unregister_section("test_notes")


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def _deliveries(week: str) -> dict[str, DeliveryStatus]:
    rows = db.session.scalars(sa.select(DigestDelivery).where(DigestDelivery.iso_week == week))
    return {row.user.email: row.status for row in rows}


def test_digest_lists_section_items_in_both_parts_with_absolute_links(app, notes, outbox):
    user = make_user("asa@test.example", name="Åsa Öberg")
    notes.items[user.email] = [DigestItem("Projekt Kvarnå", url="http://etablera.test/leads/1",
                                          detail="förfallen sedan 3 dagar")]
    with at(MONDAY_W49_0700_LOCAL):
        report = send_weekly_digests()
    assert report.sent == ["asa@test.example"]
    message = outbox.last()
    assert message["Subject"] == "Din vecka i Etablera, vecka 49"
    text, html = text_part(message), html_part(message)
    assert "Hej Åsa Öberg!" in text and "Anteckningar" in text
    assert "- Projekt Kvarnå · förfallen sedan 3 dagar" in text
    assert "http://etablera.test/leads/1" in text
    assert '<a href="http://etablera.test/leads/1">Projekt Kvarnå</a>' in html
    assert "http://etablera.test/profile" in text and 'href="http://etablera.test/profile"' in html


def test_digest_is_written_in_the_recipients_language(app, notes, outbox):
    user = make_user("en@test.example", locale="en")
    notes.items[user.email] = [DigestItem("Project Falcon")]
    with at(MONDAY_W49_0700_LOCAL):
        send_weekly_digests()
    assert outbox.last()["Subject"] == "Your week in Etablera, week 49"
    assert notes.calls == [(["en@test.example"], "en")]


def test_item_text_is_escaped_in_html(app, notes, outbox):
    user = make_user("x@test.example")
    notes.items[user.email] = [DigestItem("<img src=x onerror=alert(1)>")]
    with at(MONDAY_W49_0700_LOCAL):
        send_weekly_digests()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_part(outbox.last())


def test_sections_collect_once_per_language_for_all_users(app, notes):
    for n in range(5):
        make_user(f"sv{n}@test.example")
    make_user("en@test.example", locale="en")
    with at(MONDAY_W49_0700_LOCAL):
        send_weekly_digests()
    assert sorted(locale for _emails, locale in notes.calls) == ["en", "sv"]


def test_users_with_nothing_to_report_get_no_digest(app, notes, outbox):
    make_user("quiet@test.example")
    with at(MONDAY_W49_0700_LOCAL):
        report = send_weekly_digests()
        assert report.skipped == ["quiet@test.example"]
        assert outbox.messages() == []
        assert _deliveries("2026-W49") == {"quiet@test.example": DeliveryStatus.SKIPPED}
        # Something to report later in the week does not produce a second-look digest.
        notes.items["quiet@test.example"] = [DigestItem("Ny")]
        assert send_weekly_digests().sent == []


def test_empty_digests_are_sent_when_the_setting_says_so(app, notes, outbox):
    app.config["DIGEST_SKIP_EMPTY"] = False
    make_user("quiet@test.example")
    with at(MONDAY_W49_0700_LOCAL):
        send_weekly_digests()
    assert "Inget i Etablera behöver din uppmärksamhet den här veckan (vecka 49)." in text_part(
        outbox.last())


def test_inactive_and_opted_out_users_get_no_digest(app, notes, outbox):
    for email, extra in (("gone@test.example", {"active": False}),
                         ("no@test.example", {"digest_opt_out": True}),
                         ("yes@test.example", {})):
        make_user(email, **extra)
        notes.items[email] = [DigestItem("Något")]
    with at(MONDAY_W49_0700_LOCAL):
        assert send_weekly_digests().sent == ["yes@test.example"]


def test_profile_turns_the_digest_off_and_on(client, auth, users):
    auth.login("kumla@test.example", TEST_PASSWORD)
    page = client.get("/profile").get_data(as_text=True)
    assert '<input checked class="form-check-input" id="weekly_digest"' in page
    client.post("/profile", data={"name": "Kumla", "locale": "sv"})
    assert db.session.get(type(users["kumla"]), users["kumla"].id).digest_opt_out is True
    client.post("/profile", data={"name": "Kumla", "locale": "sv", "weekly_digest": "y"})
    assert db.session.get(type(users["kumla"]), users["kumla"].id).digest_opt_out is False


def test_a_repeat_run_in_the_same_week_sends_nothing(app, notes, outbox):
    make_user("a@test.example")
    notes.items["a@test.example"] = [DigestItem("Något")]
    with at(MONDAY_W49_0700_LOCAL):
        assert send_weekly_digests().sent == ["a@test.example"]
    with at(MONDAY_W49_0700_LOCAL + timedelta(hours=1)):
        again = send_weekly_digests()
    assert again.sent == [] and again.failed == []
    assert len(outbox.messages()) == 1


def test_dry_run_sends_and_records_nothing(app, notes, outbox):
    make_user("a@test.example")
    notes.items["a@test.example"] = [DigestItem("Något")]
    with at(MONDAY_W49_0700_LOCAL):
        report = send_weekly_digests(dry_run=True)
    assert report.sent == ["a@test.example"]
    assert outbox.messages() == [] and _deliveries("2026-W49") == {}


def test_one_user_only(app, notes, outbox):
    for email in ("a@test.example", "b@test.example"):
        make_user(email)
        notes.items[email] = [DigestItem("Något")]
    with at(MONDAY_W49_0700_LOCAL):
        assert send_weekly_digests(email="B@test.example").sent == ["b@test.example"]
        assert send_weekly_digests().sent == ["a@test.example"]


@pytest.mark.parametrize(
    ("moment", "week", "due"),
    [
        # Winter (CET, UTC+1): Monday 07:00 in Stockholm is 06:00 UTC.
        (datetime(2026, 11, 30, 5, 59, tzinfo=UTC), "2026-W49", False),
        (datetime(2026, 11, 30, 6, 0, tzinfo=UTC), "2026-W49", True),
        # Summer (CEST, UTC+2), the Monday after the spring change of 29 March 2026.
        (datetime(2026, 3, 30, 4, 59, tzinfo=UTC), "2026-W14", False),
        (datetime(2026, 3, 30, 5, 0, tzinfo=UTC), "2026-W14", True),
        # The Monday after the autumn change of 25 October 2026: winter time again.
        (datetime(2026, 10, 26, 5, 30, tzinfo=UTC), "2026-W44", False),
        (datetime(2026, 10, 26, 6, 0, tzinfo=UTC), "2026-W44", True),
        # Sunday 23:10 UTC is Monday 00:10 in Stockholm: already the new week, not yet due.
        (datetime(2026, 11, 29, 23, 10, tzinfo=UTC), "2026-W49", False),
        # Sunday 22:50 UTC is Sunday 23:50 in Stockholm: still week 48, long due.
        (datetime(2026, 11, 29, 22, 50, tzinfo=UTC), "2026-W48", True),
        # New Year's Day 2027 (a Friday) belongs to week 53 of 2026.
        (datetime(2027, 1, 1, 12, 0, tzinfo=UTC), "2026-W53", True),
    ],
)
def test_current_week_and_due_time_follow_stockholm_time(app, notes, outbox, moment, week, due):
    make_user("a@test.example")
    notes.items["a@test.example"] = [DigestItem("Något")]
    with at(moment):
        report = send_weekly_digests()
    assert str(report.week) == week
    assert report.not_due is (not due)
    assert len(outbox.messages()) == (1 if due else 0)


def test_digest_day_and_time_are_settings_even_across_the_spring_gap(app):
    app.config.update(DIGEST_DAY="sunday", DIGEST_TIME="02:30")
    # 02:30 does not exist on 29 March 2026 in Stockholm (02:00 → 03:00): the
    # wall-clock time is read with the offset before the change, i.e. 01:30 UTC.
    assert digest_due_at(IsoWeek.parse("2026-W13")) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    app.config.update(DIGEST_DAY="5", DIGEST_TIME="16:45")
    assert digest_due_at(IsoWeek.parse("2026-W49")) == datetime(2026, 12, 4, 15, 45, tzinfo=UTC)


def test_iso_week_parsing():
    assert str(IsoWeek.parse("2026-W53")) == "2026-W53"
    for wrong in ("2027-W53", "2026-48", "2026-W8", "W48"):
        with pytest.raises(ValueError):
            IsoWeek.parse(wrong)


def test_catch_up_after_downtime_sends_the_current_week_then_the_next(app, notes, outbox):
    make_user("a@test.example")
    notes.items["a@test.example"] = [DigestItem("Något")]
    with at(datetime(2026, 12, 2, 13, 0, tzinfo=UTC)):  # Wednesday: the scheduler was down
        assert send_weekly_digests().sent == ["a@test.example"]
    with at(datetime(2026, 12, 7, 6, 0, tzinfo=UTC)):
        report = send_weekly_digests()
    assert (str(report.week), report.sent) == ("2026-W50", ["a@test.example"])
    assert [m["Subject"] for m in outbox.messages()] == ["Din vecka i Etablera, vecka 49",
                                                         "Din vecka i Etablera, vecka 50"]


def test_overdue_digests_make_a_red_banner_for_admins(app, client, auth, notes, users):
    notes.items["kumla@test.example"] = [DigestItem("Något")]
    with at(MONDAY_W49_0700_LOCAL + timedelta(hours=1)):
        assert overdue_digest_count() == 0  # due, but not yet overdue
    with at(MONDAY_W49_0700_LOCAL + timedelta(hours=3)):
        assert overdue_digest_count() == len(users)
        auth.login("admin@test.example", TEST_PASSWORD)
        page = client.get("/admin/").get_data(as_text=True)
        assert "Veckans sammanfattning är försenad för 6 användare." in page
        send_weekly_digests()
        assert overdue_digest_count() == 0
        assert "är försenad" not in client.get("/admin/").get_data(as_text=True)


def test_cli_send_preview_and_dry_run(app, runner, notes, outbox):
    make_user("a@test.example")
    notes.items["a@test.example"] = [DigestItem("Projekt Kvarnå")]
    with at(MONDAY_W49_0700_LOCAL):
        preview = runner.invoke(args=["digest", "preview", "a@test.example"])
        assert "Subject: Din vecka i Etablera, vecka 49" in preview.output
        assert "- Projekt Kvarnå" in preview.output
        dry = runner.invoke(args=["digest", "send", "--dry-run"])
        assert "would send: a@test.example" in dry.output and outbox.messages() == []
        sent = runner.invoke(args=["digest", "send", "--week", "2026-W48"])
    assert sent.exit_code == 0, sent.output
    assert "2026-W48: sent 1" in sent.output
    assert outbox.last()["Subject"] == "Din vecka i Etablera, vecka 48"
    bad = runner.invoke(args=["digest", "send", "--week", "2026-48"])
    assert bad.exit_code == 2


def test_cli_reminders_send_due_runs_every_registered_sender(app, runner):
    seen = []
    register_reminder_sender("test", lambda now: seen.append(now) or 2)
    try:
        result = runner.invoke(args=["reminders", "send-due"])
    finally:
        unregister_reminder_sender("test")
    assert result.exit_code == 0 and "test: 2 sent" in result.output
    assert seen and seen[0].tzinfo is not None


def test_cli_send_exits_with_an_error_when_mail_fails(app, runner, notes):
    from tests.smtp import SmtpServer

    app.config.update(SmtpServer().settings())  # nothing listens on its port
    make_user("a@test.example")
    notes.items["a@test.example"] = [DigestItem("Något")]
    with at(MONDAY_W49_0700_LOCAL):
        result = runner.invoke(args=["digest", "send"])
        assert result.exit_code == 1
        assert "FAILED: a@test.example" in result.output
        unknown = runner.invoke(args=["digest", "send", "--user", "nobody@test.example"])
    assert unknown.exit_code == 2
