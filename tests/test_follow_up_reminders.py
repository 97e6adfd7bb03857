"""Follow-up reminders through a real SMTP server: at their time, again after being
moved, never twice, caught up after downtime, in the assignee's language."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.deliveries import DeliveryStatus
from app.extensions import db
from app.leads.models import FollowUp, LeadShare, ReminderDelivery
from app.reminders.service import send_due_reminders
from tests.factories import TEST_PASSWORD
from tests.leads_helpers import company_name, make_lead, share
from tests.mailbox import html_part, text_part

# Tuesday 1 December 2026, 09:30 in Stockholm (CET, UTC+1).
REMIND_AT = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def lead(app, users):
    return make_lead(users["kumla"], "kumla_reminded")


def add_follow_up(lead, assignee, remind_at=REMIND_AT, title="Ring vd:n", **extra) -> FollowUp:
    row = FollowUp(lead_id=lead.id, title=title, due_on=date(2026, 12, 2), remind_at=remind_at,
                   assignee_id=assignee.id, created_by_id=assignee.id,
                   municipality_id=assignee.municipality_id, **extra)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def mail(app, smtp_server):
    app.config.update(smtp_server.settings())
    return smtp_server


def _run(moment: datetime) -> dict[str, int]:
    """What the follow-up sender sent (other features' senders run too)."""
    with at(moment):
        return {"follow_ups": send_due_reminders()["follow_ups"]}


def test_reminder_goes_out_at_its_time_once_with_both_parts(app, mail, users, lead):
    followup = add_follow_up(lead, users["kumla"])
    assert _run(REMIND_AT - timedelta(minutes=1)) == {"follow_ups": 0}
    assert mail.messages() == []
    assert _run(REMIND_AT + timedelta(seconds=30)) == {"follow_ups": 1}
    (message,) = mail.messages()
    assert message["To"].addresses[0].addr_spec == "kumla@test.example"
    assert message["Subject"] == "Påminnelse: Ring vd:n (Projekt kumla_reminded)"
    link = f"http://etablera.test/leads/{lead.id}"
    for part in (text_part(message), html_part(message)):
        assert "En påminnelse om din uppföljning av Projekt kumla_reminded:" in part
        assert "Ring vd:n" in part and "Senast: 2 dec. 2026" in part and link in part
        assert company_name("kumla_reminded") not in part
    # the next minutes' runs send nothing more
    assert _run(REMIND_AT + timedelta(minutes=1)) == {"follow_ups": 0}
    assert _run(REMIND_AT + timedelta(hours=2)) == {"follow_ups": 0}
    assert mail.recipient_counts() == {"kumla@test.example": 1}
    delivery = db.session.scalar(sa.select(ReminderDelivery))
    assert (delivery.follow_up_id, delivery.remind_at, delivery.status) == (
        followup.id, REMIND_AT, DeliveryStatus.SENT)


def test_moving_the_reminder_schedules_a_new_one(app, client, mail, users, lead):
    followup = add_follow_up(lead, users["kumla"])
    _run(REMIND_AT + timedelta(minutes=1))
    with at(REMIND_AT + timedelta(minutes=5)):
        client.post("/login", data={"email": "kumla@test.example", "password": TEST_PASSWORD})
        # the form gives local time: Thursday 3 December 14:00 in Stockholm = 13:00 UTC
        response = client.post(f"/followups/{followup.id}/reminder",
                               data={"remind_at": "2026-12-03T14:00"})
    assert response.status_code == 302
    moved = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert db.session.get(FollowUp, followup.id).remind_at == moved
    assert _run(moved - timedelta(minutes=1)) == {"follow_ups": 0}
    assert _run(moved + timedelta(minutes=1)) == {"follow_ups": 1}
    assert _run(moved + timedelta(minutes=2)) == {"follow_ups": 0}
    assert mail.recipient_counts() == {"kumla@test.example": 2}


def test_the_followups_page_shows_the_reminder_in_local_time(app, client, users, lead):
    add_follow_up(lead, users["kumla"])
    with at(REMIND_AT - timedelta(days=1)):
        client.post("/login", data={"email": "kumla@test.example", "password": TEST_PASSWORD})
        page = client.get("/followups").get_data(as_text=True)
    assert 'value="2026-12-01T09:30"' in page


def test_others_cannot_move_a_reminder(app, client, users, lead):
    followup = add_follow_up(lead, users["kumla"])
    client.post("/login", data={"email": "arboga@test.example", "password": TEST_PASSWORD})
    response = client.post(f"/followups/{followup.id}/reminder",
                           data={"remind_at": "2026-12-03T14:00"})
    assert response.status_code == 404
    assert db.session.get(FollowUp, followup.id).remind_at == REMIND_AT


def test_done_follow_ups_and_cleared_reminders_are_not_reminded(app, mail, users, lead):
    add_follow_up(lead, users["kumla"], done_at=REMIND_AT - timedelta(hours=1))
    add_follow_up(lead, users["kumla"], remind_at=None)
    assert _run(REMIND_AT + timedelta(minutes=1)) == {"follow_ups": 0}
    assert mail.messages() == []


def test_missed_reminders_are_caught_up_after_downtime_within_the_limit(app, mail, users, lead):
    add_follow_up(lead, users["kumla"], title="Igår")
    add_follow_up(lead, users["kumla"], title="För länge sedan",
                  remind_at=REMIND_AT - timedelta(days=5))
    # the scheduler was down from before REMIND_AT until the next day
    assert _run(REMIND_AT + timedelta(hours=20)) == {"follow_ups": 1}
    (message,) = mail.messages()
    assert message["Subject"].startswith("Påminnelse: Igår")


def test_reminder_in_english(app, mail, users, lead):
    users["kumla"].locale = "en"
    db.session.commit()
    add_follow_up(lead, users["kumla"])
    _run(REMIND_AT + timedelta(minutes=1))
    (message,) = mail.messages()
    assert message["Subject"] == "Reminder: Ring vd:n (Projekt kumla_reminded)"
    assert "A reminder of your follow-up on Projekt kumla_reminded:" in text_part(message)
    assert "Due: Dec 2, 2026" in html_part(message)


def test_smtp_down_then_back_delivers_the_reminder_once(app, mail, users, lead):
    add_follow_up(lead, users["kumla"])
    mail.stop()
    assert _run(REMIND_AT + timedelta(minutes=1)) == {"follow_ups": 0}
    delivery = db.session.scalar(sa.select(ReminderDelivery))
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error
    mail.start()
    assert _run(REMIND_AT + timedelta(minutes=2)) == {"follow_ups": 0}  # back-off: 5 minutes
    assert _run(REMIND_AT + timedelta(minutes=7)) == {"follow_ups": 1}
    assert _run(REMIND_AT + timedelta(minutes=30)) == {"follow_ups": 0}
    assert mail.recipient_counts() == {"kumla@test.example": 1}


def test_assignee_who_lost_sight_of_the_lead_is_not_reminded(app, mail, users):
    lead = make_lead(users["arboga"], "arboga_shared")
    share(lead, "kumla", "full")
    add_follow_up(lead, users["kumla"])
    db.session.execute(sa.delete(LeadShare).where(LeadShare.lead_id == lead.id))
    db.session.commit()
    assert _run(REMIND_AT + timedelta(minutes=1)) == {"follow_ups": 0}
    assert mail.messages() == []
    assert db.session.scalar(sa.select(ReminderDelivery.status)) == DeliveryStatus.SKIPPED


def test_cli_sends_due_reminders(app, runner, mail, users, lead):
    add_follow_up(lead, users["kumla"])
    with at(REMIND_AT + timedelta(minutes=3)):
        result = runner.invoke(args=["reminders", "send-due"])
        again = runner.invoke(args=["reminders", "send-due"])
    assert result.exit_code == 0 and "follow_ups: 1 sent" in result.output
    assert "follow_ups: 0 sent" in again.output
    assert mail.recipient_counts() == {"kumla@test.example": 1}


def test_reminders_that_gave_up_are_shown_to_admins(app, client, mail, users, lead):
    app.config["DELIVERY_MAX_ATTEMPTS"] = 1
    followup = add_follow_up(lead, users["kumla"], title="Hemlig titel")
    mail.stop()
    _run(REMIND_AT + timedelta(minutes=1))
    assert _run(REMIND_AT + timedelta(hours=1)) == {"follow_ups": 0}  # no attempts left
    client.post("/login", data={"email": "admin@test.example", "password": TEST_PASSWORD})
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert f"kumla@test.example · follow-up {followup.id} · 2026-12-01 08:30 UTC" in page
    assert "Hemlig titel" not in page.split("<table")[0]


@pytest.mark.parametrize(("local", "utc"), [
    ("2026-12-03T14:00", datetime(2026, 12, 3, 13, 0, tzinfo=UTC)),  # winter time, UTC+1
    ("2026-06-03T14:00", datetime(2026, 6, 3, 12, 0, tzinfo=UTC)),  # summer time, UTC+2
    ("2026-03-29T03:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # just after the spring change
])
def test_reminder_times_are_read_in_stockholm_time(app, client, users, lead, local, utc):
    followup = add_follow_up(lead, users["kumla"], remind_at=None)
    client.post("/login", data={"email": "kumla@test.example", "password": TEST_PASSWORD})
    client.post(f"/followups/{followup.id}/reminder", data={"remind_at": local})
    assert db.session.get(FollowUp, followup.id).remind_at == utc
    client.post(f"/followups/{followup.id}/reminder", data={"remind_at": ""})
    assert db.session.get(FollowUp, followup.id).remind_at is None
