"""The personal iCalendar feed: no login, only the secret; only visible open follow-ups."""

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
from icalendar import Calendar

from app.calendar_feed.models import CalendarFeed
from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import FollowUp, LeadShare
from tests.factories import TEST_PASSWORD
from tests.leads_helpers import company_name, make_lead, share


def add_follow_up(lead, assignee, title, due_on=date(2026, 12, 2), **extra) -> FollowUp:
    row = FollowUp(lead_id=lead.id, title=title, due_on=due_on, assignee_id=assignee.id,
                   created_by_id=assignee.id, municipality_id=assignee.municipality_id, **extra)
    db.session.add(row)
    db.session.commit()
    return row


def _login(client, who: str) -> None:
    client.post("/login", data={"email": f"{who}@test.example", "password": TEST_PASSWORD})


def _new_feed_url(client) -> str:
    page = client.post("/profile/calendar").get_data(as_text=True)
    match = re.search(r'value="(http://etablera\.test/calendar/[A-Za-z0-9_-]+\.ics)"', page)
    assert match, page
    return match.group(1).removeprefix("http://etablera.test")


def _events(client, path: str) -> dict[str, object]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_the_users_visible_open_follow_ups(app, client, users):
    kumla = users["kumla"]
    own = make_lead(kumla, "kumla_own")
    anonymised = make_lead(users["arboga"], "arboga_anon")
    share(anonymised, "kumla", "anonymised")
    revoked = make_lead(users["arboga"], "arboga_revoked", confidential=True)
    share(revoked, "kumla", "full")
    add_follow_up(own, kumla, "Ring vd:n", remind_at=datetime(2026, 12, 1, 8, 30, tzinfo=UTC))
    add_follow_up(own, kumla, "Klart", done_at=datetime(2026, 11, 20, tzinfo=UTC))
    add_follow_up(own, users["viewer"], "Någon annans")
    add_follow_up(anonymised, kumla, "Titta på tomten")
    add_follow_up(revoked, kumla, "Hemlig uppgift")
    db.session.execute(sa.delete(LeadShare).where(LeadShare.lead_id == revoked.id))
    db.session.commit()
    _login(client, "kumla")
    path = _new_feed_url(client)
    client.post("/logout")
    events = _events(client, path)  # no session: the secret is enough
    assert sorted(events) == ["Ring vd:n · Projekt kumla_own", "Titta på tomten · Projekt arboga_anon"]
    event = events["Ring vd:n · Projekt kumla_own"]
    assert event.decoded("DTSTART") == date(2026, 12, 2)
    assert str(event["URL"]) == f"http://etablera.test/leads/{own.id}"
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    body = client.get(path).get_data(as_text=True)
    for key in ("kumla_own", "arboga_anon", "arboga_revoked"):
        assert company_name(key) not in body
    assert "Hemlig uppgift" not in body and "arboga_revoked" not in body


def test_renewing_the_secret_kills_the_old_url_and_is_audited(app, client, users):
    _login(client, "kumla")
    first = _new_feed_url(client)
    assert client.get(first).status_code == 200
    second = _new_feed_url(client)
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    actions = list(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.action.like("calendar_feed.%")).order_by(AuditEvent.id)))
    assert actions == ["calendar_feed.created", "calendar_feed.renewed"]
    stored = db.session.scalar(sa.select(CalendarFeed.secret_hash))
    assert stored not in second and len(stored) == 64  # only the hash is kept


def test_unknown_secrets_and_deactivated_users_get_nothing(app, client, users):
    assert client.get("/calendar/nothing-here.ics").status_code == 404
    _login(client, "kumla")
    path = _new_feed_url(client)
    users["kumla"].active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_profile_offers_the_feed_and_the_digest_preview(app, client, users):
    _login(client, "kumla")
    page = client.get("/profile").get_data(as_text=True)
    assert "Skapa en kalenderlänk" in page and "/digest/preview" in page
    _new_feed_url(client)
    page = client.get("/profile").get_data(as_text=True)
    assert "Förnya kalenderlänken" in page and "/calendar/" not in page


def test_renewal_needs_a_login(app, client, users):
    response = client.post("/profile/calendar")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed)) == 0


def _parse_with_both_parsers(body: bytes):
    """The feed read by two independent parsers: icalendar and ics (ics.py)."""
    import ics

    return Calendar.from_ical(body), ics.Calendar(body.decode("utf-8"))


def test_far_future_follow_up_and_control_characters_do_not_break_the_feed(app, client, users):
    kumla = users["kumla"]
    lead = make_lead(kumla, "kumla_far")
    lead.codename = "Projekt\x0bVT\u202e"
    db.session.commit()
    add_follow_up(lead, kumla, "Ring\x1b vd:n\x0c", due_on=date(9999, 12, 31),
                  remind_at=datetime(9999, 12, 31, 8, 30, tzinfo=UTC))
    add_follow_up(lead, kumla, "Skicka\x7f offert\u202e", due_on=date(2026, 12, 9),
                  remind_at=datetime(2026, 12, 9, 8, 30, tzinfo=UTC))
    _login(client, "kumla")
    path = _new_feed_url(client)
    response = client.get(path)
    assert response.status_code == 200
    body = response.data
    assert b"TRIGGER;VALUE=DATE-TIME:20261209T083000Z" in body
    assert b"TRIGGER;VALUE=DATE-TIME:99991231T083000Z" in body
    assert b"TRIGGER:" not in body
    for character in ("\x0b", "\x0c", "\x1b", "\x7f", "\u202e"):
        assert character.encode() not in body, repr(character)

    by_icalendar, by_ics = _parse_with_both_parsers(body)
    events = {str(event["SUMMARY"]): event for event in by_icalendar.walk("VEVENT")}
    assert sorted(events) == ["Ring vd:n · ProjektVT", "Skicka offert · ProjektVT"]
    far = events["Ring vd:n · ProjektVT"]
    assert far.decoded("DTSTART") == date(9999, 12, 31)
    (alarm,) = far.walk("VALARM")
    assert alarm.decoded("TRIGGER") == datetime(9999, 12, 31, 8, 30, tzinfo=UTC)
    assert sorted(event.name for event in by_ics.events) == sorted(events)
    assert {event.begin.date() for event in by_ics.events} == {date(9999, 12, 31),
                                                               date(2026, 12, 9)}
