"""A web inquiry's lead: "new web inquiry" until its municipality opens it, the time to
first answer, and the reminder to the intake advisor after two Swedish working days."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.clock import local_zone
from app.extensions import db
from app.intake.models import UnansweredReminder
from app.intake.reminders import send_unanswered_reminders
from app.leads.commands import add_activity
from app.reminders.service import send_due_reminders
from tests.intake_helpers import leads, submit
from tests.mailbox import text_part


@pytest.fixture
def app_overrides() -> dict:
    return {"INTAKE_MIN_FILL_SECONDS": 0, "INTAKE_RATE_LIMIT": "100 per minute"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=local_zone("Europe/Stockholm"))


def inquiry_at(client, moment: datetime):
    with time_machine.travel(moment, tick=False):
        submit(client, municipalities=["kumla"])
    [lead] = leads()
    return lead


def test_the_marker_stays_until_someone_of_the_municipality_opens_the_lead(client, auth, users):
    submit(client, municipalities=["kumla"])
    [lead] = leads()
    auth.login("admin@test.example")  # Örebro's admin: another municipality
    client.get(f"/leads/{lead.id}")
    db.session.refresh(lead)
    assert lead.web_inquiry_new
    auth.logout()
    auth.login("kumla@test.example")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert 'data-testid="new-web-inquiry"' in page and lead.inquiry_reference in page
    assert "Inte besvarad: svara senast" in page
    db.session.refresh(lead)
    assert not lead.web_inquiry_new
    assert 'data-testid="new-web-inquiry"' not in client.get(f"/leads/{lead.id}").get_data(
        as_text=True)


def test_the_first_activity_of_an_advisor_is_the_first_answer(client, users):
    lead = inquiry_at(client, at("2026-03-02 09:00"))  # a Monday
    with time_machine.travel(at("2026-03-02 13:30"), tick=False):
        add_activity(users["kumla"], lead, "call", "Ringde upp vd:n")
    with time_machine.travel(at("2026-03-03 10:00"), tick=False):
        add_activity(users["kumla"], lead, "note", "Skickade underlag")
    db.session.refresh(lead)
    assert lead.first_answered_at == at("2026-03-02 13:30")


def test_a_partners_activity_is_no_answer(client, users):
    submit(client, municipalities=["kumla", "hallsberg"])
    [lead] = leads()  # Örebro's, shared with Hallsberg
    add_activity(users["hallsberg"], lead, "note", "Vi har mark", internal=False)
    db.session.refresh(lead)
    assert lead.first_answered_at is None


def test_no_reminder_within_two_working_days(client, users, outbox):
    inquiry_at(client, at("2026-03-02 09:00"))  # Monday
    assert send_unanswered_reminders(at("2026-03-04 08:59")) == 0  # Wednesday, before 09:00
    assert send_unanswered_reminders(at("2026-03-04 09:00")) == 1
    assert send_unanswered_reminders(at("2026-03-04 09:05")) == 0  # once
    assert len([m for m in outbox.messages() if "Obesvarad" in m["Subject"]]) == 1


def test_midsommarafton_and_the_weekend_are_no_working_days(client, users):
    # Thursday 18 June 2026; Friday 19 June is midsommarafton (a de facto day off)
    inquiry_at(client, at("2026-06-18 10:00"))
    assert send_unanswered_reminders(at("2026-06-22 10:00")) == 0  # Monday: 1 working day
    assert send_unanswered_reminders(at("2026-06-23 10:00")) == 1  # Tuesday: 2


def test_an_answered_inquiry_is_not_reminded(client, users):
    lead = inquiry_at(client, at("2026-03-02 09:00"))
    with time_machine.travel(at("2026-03-03 09:00"), tick=False):
        add_activity(users["kumla"], lead, "email", "Svarade")
    assert send_due_reminders(at("2026-03-05 09:00"))["unanswered_inquiries"] == 0
    assert db.session.scalars(sa.select(UnansweredReminder)).all() == []


def test_the_reminder_goes_to_the_intake_advisor_with_the_codename_only(client, users, outbox):
    lead = inquiry_at(client, at("2026-03-02 09:00"))
    send_due_reminders(at("2026-03-04 10:00"))
    [reminder] = [m for m in outbox.messages() if "Obesvarad" in m["Subject"]]
    assert reminder["To"].addresses[0].addr_spec == "kumla@test.example"
    body = text_part(reminder)
    assert lead.codename in body and "Nordlager" not in body


def test_after_three_weeks_nothing_is_reminded(client, users):
    inquiry_at(client, at("2026-03-02 09:00"))
    assert send_unanswered_reminders(at("2026-03-02 09:00") + timedelta(days=30)) == 0
