"""The lead sections of the weekly digest, sent through a real SMTP server: what each
section lists, in both MIME parts and both languages, and that nothing leaks."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy import event

from app.digest.service import compose_digests, digest_context, send_weekly_digests
from app.digest.weeks import IsoWeek
from app.extensions import db
from app.leads.models import Activity, ActivityKind, FollowUp, LeadShare, ShareLevel, Stage
from tests.factories import TEST_PASSWORD, make_user
from tests.leads_helpers import company_name, make_lead, share
from tests.mailbox import html_part, text_part

BEFORE = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)  # when the world was built
FRIDAY_BEFORE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # week 49's digest is due (07:00 local)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def follow_up(lead, assignee, title: str, due_on: date, done: bool = False, **extra) -> FollowUp:
    row = FollowUp(lead_id=lead.id, title=title, due_on=due_on, assignee_id=assignee.id,
                   created_by_id=assignee.id, municipality_id=assignee.municipality_id,
                   done_at=BEFORE if done else None, **extra)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def world(app, users):
    """Kumla's advisor with follow-ups, a silent lead and leads shared by Arboga."""
    kumla, arboga = users["kumla"], users["arboga"]
    with at(BEFORE):
        leads = {
            "silent": make_lead(kumla, "kumla_silent"),
            "busy": make_lead(kumla, "kumla_busy"),
            "won": make_lead(kumla, "kumla_won", stage=Stage.WON),
            "secret_own": make_lead(kumla, "kumla_secret", confidential=True),
            "arboga_unshared": make_lead(arboga, "arboga_unshared"),
        }
    with at(FRIDAY_BEFORE):
        db.session.add(Activity(lead_id=leads["busy"].id, kind=ActivityKind.CALL, body="Samtal",
                                author_id=kumla.id, municipality_id=kumla.municipality_id))
        db.session.commit()
        for key, confidential, level in (("arboga_full", False, ShareLevel.FULL),
                                         ("arboga_anon", False, ShareLevel.ANONYMISED),
                                         ("arboga_secret", True, ShareLevel.FULL)):
            leads[key] = make_lead(arboga, key, confidential=confidential)
            share(leads[key], "kumla", level)
    follow_up(leads["busy"], kumla, "Ring vd:n", date(2026, 11, 25))
    follow_up(leads["busy"], kumla, "Redan gjort", date(2026, 11, 20), done=True)
    follow_up(leads["busy"], kumla, "Skicka markförslag", date(2026, 12, 3))
    follow_up(leads["busy"], kumla, "Långt fram", date(2026, 12, 20))
    follow_up(leads["arboga_anon"], kumla, "Titta på tomten", date(2026, 11, 26))
    follow_up(leads["arboga_unshared"], kumla, "Syns inte", date(2026, 11, 26))
    return leads


def _digest_for(smtp_server, email: str):
    (message,) = [m for m in smtp_server.messages() if m["To"].addresses[0].addr_spec == email]
    return message


def test_advisor_digest_lists_every_lead_section_in_both_parts(app, smtp_server, users, world):
    app.config.update(smtp_server.settings())
    with at(MONDAY):
        report = send_weekly_digests()
    assert "kumla@test.example" in report.sent
    message = _digest_for(smtp_server, "kumla@test.example")
    link = f"http://etablera.test/leads/{world['busy'].id}"
    for part in (text_part(message), html_part(message)):
        assert "Försenade uppföljningar" in part
        assert "Ring vd:n · Projekt kumla_busy · " + company_name("kumla_busy") in part
        assert "Titta på tomten · Projekt arboga_anon" in part
        assert "Uppföljningar den här veckan" in part and "Skicka markförslag" in part
        assert "Dina ärenden utan aktivitet på sistone" in part
        assert "Projekt kumla_silent" in part and "Projekt kumla_secret" in part
        assert "Ärenden delade med din kommun som väntar på svar" in part
        assert "Projekt arboga_full · " + company_name("arboga_full") in part
        assert "Projekt arboga_secret" in part and "Projekt arboga_anon" in part
        assert link in part
        # not due, done, closed, recently active or invisible: not listed
        for absent in ("Långt fram", "Redan gjort", "Projekt kumla_won", "Syns inte",
                       "arboga_unshared"):
            assert absent not in part
    text = text_part(message)
    assert f"- Ring vd:n · Projekt kumla_busy · {company_name('kumla_busy')} · senast 25 nov. 2026" in text
    assert "delad av Arboga den 27 nov. 2026, anonymiserad" in text
    assert f'<a href="{link}">' in html_part(message)


def test_confidential_and_anonymised_leads_never_show_the_company(app, smtp_server, users, world):
    app.config.update(smtp_server.settings())
    with at(MONDAY):
        send_weekly_digests()
    raw = b"".join(smtp_server.raw())
    message = _digest_for(smtp_server, "kumla@test.example")
    for key in ("arboga_anon", "arboga_secret", "kumla_secret", "arboga_unshared"):
        for part in (text_part(message), html_part(message)):
            assert company_name(key) not in part
            assert f"Beskrivning-{key}" not in part
    assert b"Beskrivning" not in raw


def test_viewers_get_the_shares_and_admins_do_not(app, smtp_server, users, world):
    app.config.update(smtp_server.settings())
    with at(MONDAY):
        send_weekly_digests()
    viewer = text_part(_digest_for(smtp_server, "viewer@test.example"))
    assert "Projekt arboga_full" in viewer and "Försenade uppföljningar" not in viewer
    assert "admin@test.example" not in smtp_server.recipient_counts()


def test_responded_and_old_shares_are_not_awaiting_a_response(app, users, world):
    db.session.execute(sa.update(LeadShare).where(LeadShare.lead_id == world["arboga_full"].id)
                       .values(response="interested"))
    db.session.commit()
    with at(MONDAY + timedelta(days=14)):
        digests = compose_digests([users["viewer"]], digest_context(IsoWeek.parse("2026-W51"),
                                                                    MONDAY + timedelta(days=14)))
    assert digests[users["viewer"].id].is_empty


def test_digest_in_english(app, smtp_server, users, world):
    app.config.update(smtp_server.settings())
    users["kumla"].locale = "en"
    db.session.commit()
    with at(MONDAY):
        send_weekly_digests()
    message = _digest_for(smtp_server, "kumla@test.example")
    assert message["Subject"] == "Your week in Etablera, week 49"
    text = text_part(message)
    for heading in ("Overdue follow-ups", "Follow-ups due this week",
                    "Your leads without recent activity",
                    "Leads shared with your municipality awaiting a response"):
        assert heading in text
    assert "shared by Arboga on Nov 27, 2026, anonymised" in text
    assert "due Nov 25, 2026" in text


def test_long_sections_stop_at_the_limit_with_a_link_to_the_rest(app, users, world):
    app.config["DIGEST_SECTION_LIMIT"] = 2
    for day in (10, 11, 12):
        follow_up(world["busy"], users["kumla"], f"Gammal {day}", date(2026, 11, day))
    with at(MONDAY):
        digest = compose_digests([users["kumla"]], digest_context(IsoWeek.parse("2026-W49"),
                                                                  MONDAY))[users["kumla"].id]
    overdue = dict((section.key, items) for section, items in digest.sections)["overdue_follow_ups"]
    assert [item.text for item in overdue] == ["Gammal 10 · Projekt kumla_busy · "
                                               + company_name("kumla_busy"),
                                               "Gammal 11 · Projekt kumla_busy · "
                                               + company_name("kumla_busy"),
                                               "… och 3 till"]
    assert overdue[-1].url == "http://etablera.test/followups"


def _count_queries(function) -> int:
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        function()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def _populate(users, leads_each: int, tag: str) -> None:
    with at(BEFORE):
        for who in ("kumla", "arboga", "orebro"):
            for n in range(leads_each):
                lead = make_lead(users[who], f"{tag}_{who}_{n}", confidential=n % 3 == 0)
                follow_up(lead, users[who], f"Uppgift {n}", date(2026, 11, 1 + n % 20))
                follow_up(lead, users[who], f"Veckan {n}", date(2026, 12, 2))
                if n % 2:
                    share(lead, "hallsberg" if who != "hallsberg" else "kumla",
                          ShareLevel.ANONYMISED if n % 4 == 1 else ShareLevel.FULL)
                    db.session.execute(sa.update(LeadShare).where(LeadShare.lead_id == lead.id)
                                       .values(created_at=MONDAY - timedelta(days=1)))
                    db.session.commit()


def test_composing_digests_takes_the_same_number_of_queries_for_more_leads(app, users):
    context = digest_context(IsoWeek.parse("2026-W49"), MONDAY)
    recipients = list(users.values())

    def compose():
        db.session.expire_all()
        with at(MONDAY):
            return compose_digests(recipients, context)

    _populate(users, 2, "few")
    few = _count_queries(compose)
    _populate(users, 12, "many")
    many = _count_queries(compose)
    digests = compose()
    assert sum(len(items) for _s, items in digests[users["kumla"].id].sections) > 20
    assert many == few, (few, many)
    assert many <= 48  # a few per section and municipality (gallring, web inquiries…)


def test_preview_shows_the_digest_as_it_would_be_sent_and_needs_a_login(client, users, world):
    assert client.get("/digest/preview").status_code == 302
    with at(MONDAY):
        client.post("/login", data={"email": "kumla@test.example", "password": TEST_PASSWORD})
        page = client.get("/digest/preview").get_data(as_text=True)
    assert "Din vecka i Etablera, vecka 49" in page
    assert "Ring vd:n · Projekt kumla_busy" in page
    assert 'sandbox="" srcdoc="&lt;!doctype html&gt;' in page
    assert company_name("arboga_anon") not in page


def test_preview_escapes_hostile_titles(client, users, world):
    follow_up(world["busy"], users["kumla"], "<img src=x onerror=alert(1)>", date(2026, 11, 24))
    with at(MONDAY):
        client.post("/login", data={"email": "kumla@test.example", "password": TEST_PASSWORD})
        page = client.get("/digest/preview").get_data(as_text=True)
    assert "<img src=x" not in page
    # in the frame's srcdoc the mail's own escaping is escaped once more
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in page


def test_user_without_anything_previews_an_empty_digest(client, app):
    make_user("quiet@test.example", "hallsberg")
    with at(MONDAY):
        client.post("/login", data={"email": "quiet@test.example", "password": TEST_PASSWORD})
        page = client.get("/digest/preview").get_data(as_text=True)
    assert "Inget i Etablera behöver din uppmärksamhet" in page


def test_users_of_one_municipality_and_role_class_see_the_same_leads(app, users, world):
    """The sections query once per (municipality, admin) audience; this holds only
    while the lead scope rule depends on nothing else about the user."""
    from app import scope
    from app.leads.digest import audiences
    from app.leads.models import Lead

    extra = make_user("kumla2@test.example", "kumla", "advisor")
    for group in audiences([*users.values(), extra]).values():
        seen = [set(db.session.scalars(sa.select(Lead.id).where(scope.visible_filter(user, Lead))))
                for user in group]
        assert all(ids == seen[0] for ids in seen)


def test_this_week_runs_from_today_to_sunday_in_stockholm(app, users):
    kumla = users["kumla"]
    with at(BEFORE):
        lead = make_lead(kumla, "kumla_week")
    for title, due in (("Söndag förra veckan", date(2026, 11, 29)), ("Måndag", date(2026, 11, 30)),
                       ("Söndag", date(2026, 12, 6)), ("Nästa måndag", date(2026, 12, 7))):
        follow_up(lead, kumla, title, due)
    # Sunday 23:30 UTC is already Monday 00:30 in Stockholm: week 49 has begun.
    moment = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    with at(moment):
        digest = compose_digests([kumla], digest_context(IsoWeek.of(moment), moment))[kumla.id]
    sections = {section.key: [item.text.split(" · ")[0] for item in items]
                for section, items in digest.sections}
    assert sections["overdue_follow_ups"] == ["Söndag förra veckan"]
    assert sections["follow_ups_this_week"] == ["Måndag", "Söndag"]
