"""The admin's mail log keeps its own redacted copy of each message and conceals mail
about leads the admin may not see (issue 12, items 2a and 3)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from alembic.script import ScriptDirectory
from flask_babel import lazy_gettext as _l
from flask_migrate import upgrade

from app import create_app
from app.digest.service import send_weekly_digests
from app.extensions import db
from app.leads.models import FollowUp, ShareLevel
from app.leads.sharing import share_lead
from app.mail.models import MailMessage, MailMessageLead
from app.mail.redaction import REDACTED, Secret, redact
from app.mail.service import send_to_user
from app.notifications import service as notifications
from app.reminders.service import send_due_reminders
from tests.factories import TEST_PASSWORD
from tests.leads_helpers import make_lead, share
from tests.mailbox import html_part, text_part

NEW_PASSWORD = "a-brand-new-passphrase-2026"
# Tuesday 1 December 2026, 09:30 in Stockholm; the digest of week 49 is due on Monday 30.
REMIND_AT = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
MONDAY_W49 = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
TITLE = "Hemlig uppföljning om markpriset"


def _entries() -> list[MailMessage]:
    return list(db.session.scalars(sa.select(MailMessage).order_by(MailMessage.id)))


def _admin_pages(client, auth, entry: MailMessage) -> tuple[str, str]:
    """The log's list and the message's page as the Örebro admin sees them."""
    auth.login("admin@test.example", TEST_PASSWORD)
    listing = client.get("/admin/mail/").get_data(as_text=True)
    detail = client.get(f"/admin/mail/{entry.id}").get_data(as_text=True)
    auth.logout()
    return listing, detail


def _link(message, route: str) -> str:
    found = re.search(rf"http://etablera\.test(/{route}/\S+)", text_part(message))
    assert found, text_part(message)
    return found.group(1)


@pytest.fixture(params=["file", "smtp"])
def sent(request, app):
    """The messages as they left the application, through the file or the SMTP transport."""
    if request.param == "file":
        return request.getfixturevalue("outbox").messages
    server = request.getfixturevalue("smtp_server")
    app.config.update(server.settings())
    return server.messages


# --- links with tokens (item 2a) -------------------------------------------------------


def test_admin_cannot_open_reset_link_of_another_municipality_from_mail_log(client, auth, users,
                                                                            sent):
    assert client.post("/reset", data={"email": "arboga@test.example"}).status_code == 302
    (message,) = sent()
    path = _link(message, "reset")
    token = path.rsplit("/", 1)[1]
    (entry,) = _entries()
    listing, detail = _admin_pages(client, auth, entry)
    for page in (listing, detail):
        assert token not in page and "/reset/" not in page
    assert REDACTED in detail and "arboga@test.example" in detail  # the copy, redacted
    assert token not in entry.subject + entry.body_text
    # The real message still works for its recipient.
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/login")
    assert auth.login("arboga@test.example", NEW_PASSWORD).status_code == 302


def test_admin_cannot_open_invitation_link_of_another_municipality_from_mail_log(
        client, auth, users, sent):
    auth.login("admin@test.example", TEST_PASSWORD)
    client.post("/admin/users/new", data={"email": "ny@test.example", "name": "Ny Arbogabo",
                                          "locale": "sv", "municipality": "arboga",
                                          "role": "advisor", "active": "y"})
    auth.logout()
    (message,) = [m for m in sent() if m["To"].addresses[0].addr_spec == "ny@test.example"]
    path = _link(message, "invitation")
    token = path.rsplit("/", 1)[1]
    entry = next(e for e in _entries() if e.kind == "invitation")
    listing, detail = _admin_pages(client, auth, entry)
    for page in (listing, detail):
        assert token not in page and "/invitation/" not in page
    assert REDACTED in detail
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert auth.login("ny@test.example", NEW_PASSWORD).status_code == 302


# --- mail about leads (item 3) ---------------------------------------------------------


def _follow_up(lead, assignee, **values) -> FollowUp:
    row = FollowUp(lead_id=lead.id, title=TITLE, assignee_id=assignee.id,
                   created_by_id=assignee.id, municipality_id=assignee.municipality_id, **values)
    db.session.add(row)
    db.session.commit()
    return row


CONSENT = {"basis": "consent", "basis_by": "Företagets vd", "basis_on": date(2026, 11, 30)}


def _send_notification(lead, users):
    """A share's notification e-mail, sent at once after the share's commit."""
    share_lead(users[lead_owner(lead, users)], lead, ["kumla"], ShareLevel.FULL.value, CONSENT)
    assert notifications.send_queued()  # to each of Kumla's users


def _send_reminder(lead, users):
    _follow_up(lead, users[lead_owner(lead, users)], due_on=date(2026, 12, 2), remind_at=REMIND_AT)
    with time_machine.travel(REMIND_AT + timedelta(minutes=1), tick=False):
        assert send_due_reminders()["follow_ups"] == 1


def _send_digest(lead, users):
    owner = users[lead_owner(lead, users)]
    _follow_up(lead, owner, due_on=date(2026, 11, 25))  # overdue on Monday
    with time_machine.travel(MONDAY_W49, tick=False):
        assert send_weekly_digests(email=owner.email).sent == [owner.email]


def lead_owner(lead, users) -> str:
    return next(key for key in ("arboga", "orebro") if users[key].municipality_id
                == lead.municipality_id)


SENDERS = {"notification": _send_notification, "follow_up_reminder": _send_reminder,
           "digest": _send_digest}


@pytest.mark.parametrize("kind", SENDERS)
def test_mail_log_hides_codename_of_other_municipalitys_confidential_lead(
        client, auth, users, outbox, kind):
    lead = make_lead(users["arboga"], "arboga_hemlig", confidential=True)
    SENDERS[kind](lead, users)
    entry = next(e for e in _entries() if e.kind == kind)
    assert [row.lead_id for row in db.session.scalars(
        sa.select(MailMessageLead).where(MailMessageLead.mail_message_id == entry.id))] == [lead.id]
    sent = "".join(text_part(m) + html_part(m) for m in outbox.messages())
    assert lead.codename in sent  # the recipient reads it
    listing, detail = _admin_pages(client, auth, entry)
    for page in (listing, detail):
        assert lead.codename not in page and TITLE not in page
        assert "Sekretessmarkerat ärende hos Arboga" in page
        assert entry.recipient in page
    assert "skickat" in detail.lower() or "sent" in detail


@pytest.mark.parametrize("kind", SENDERS)
@pytest.mark.parametrize(("owner", "confidential", "shared_with_orebro"), [
    ("arboga", False, False),  # another municipality's non-confidential lead
    ("orebro", True, False),  # the admin's own municipality's confidential lead
    ("arboga", True, True),  # a confidential lead shared with Örebro
])
def test_admin_still_sees_mail_about_leads_the_admin_may_see(
        client, auth, users, outbox, kind, owner, confidential, shared_with_orebro):
    lead = make_lead(users[owner], f"{owner}_synlig", confidential=confidential)
    if shared_with_orebro:
        share(lead, "orebro", ShareLevel.FULL)
    SENDERS[kind](lead, users)
    entry = next(e for e in _entries() if e.kind == kind)
    _listing, detail = _admin_pages(client, auth, entry)
    assert lead.codename in detail
    assert "Sekretessmarkerat" not in detail
    if kind != "notification":
        assert TITLE in detail


def test_digest_listing_one_concealed_lead_among_visible_ones_is_concealed(client, auth, users,
                                                                          outbox):
    visible = make_lead(users["arboga"], "arboga_oppen")
    hidden = make_lead(users["arboga"], "arboga_hemlig", confidential=True)
    _follow_up(visible, users["arboga"], due_on=date(2026, 11, 25))
    _send_digest(hidden, users)
    (entry,) = _entries()
    listing, detail = _admin_pages(client, auth, entry)
    for page in (listing, detail):
        assert visible.codename not in page and hidden.codename not in page
        assert "Sekretessmarkerat ärende hos Arboga" in page


def test_mail_log_conceals_in_english_for_an_english_admin(client, auth, users, outbox):
    users["admin"].locale = "en"
    db.session.commit()
    lead = make_lead(users["arboga"], "arboga_hemlig", confidential=True)
    _send_reminder(lead, users)
    listing, _detail = _admin_pages(client, auth, _entries()[0])
    assert "Confidential matter of Arboga" in listing


# --- the redaction itself --------------------------------------------------------------


def test_secret_context_values_are_sent_but_not_logged(app, users, outbox):
    link = "http://etablera.test/some/opaque/place"
    entry = send_to_user(users["kumla"], "password_reset",
                         lambda: _l("Reset your Etablera password"), link=Secret(link))
    assert link in text_part(outbox.last()) and link in html_part(outbox.last())
    assert link not in entry.body_text and REDACTED in entry.body_text
    assert "Hej" in entry.body_text


def test_secrets_argument_is_not_logged(app, users, outbox):
    entry = send_to_user(users["kumla"], "password_reset",
                         lambda: _l("Reset your Etablera password"), link="http://x/plain-ok",
                         secrets=["plain-ok"])
    assert "plain-ok" in text_part(outbox.last())
    assert "plain-ok" not in entry.body_text


@pytest.mark.parametrize("secret", [
    "http://etablera.test/reset/eyJ1aWQiOjV9.Z1x2Yw.abcDEF123",
    "https://etablera.example/app/invitation/eyJ1aWQiOjV9.Z1x2Yw.abcDEF123",
    "/reset/eyJ1aWQiOjV9.Z1x2Yw.abcDEF123",
    "http://etablera.test/calendar/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5.ics",
    "https://example.org/download?id=4&token=abc123",
    "https://example.org/download?access_key=abc123",
    "https://example.org/share/aB3dE5gH7jK9mN1pQ3sT5vX7z",
    "etb_aB3dE5gH7jK9mN1pQ3sT5vX7zA1bC3dE5gH7jK9mN1",
])
def test_regex_safety_net_removes_secret_shapes(secret):
    text = f"Öppna länken: {secret}\nHälsningar"
    assert redact(text) == f"Öppna länken: {REDACTED}\nHälsningar"


@pytest.mark.parametrize("kept", [
    "http://etablera.test/leads/42",
    "http://etablera.test/followups",
    "http://etablera.test/sites?incomplete=1&municipality=kumla",
    "http://etablera.test/reset",
    "Projekt Kvarnå",
])
def test_ordinary_links_and_words_are_kept(kept):
    assert redact(f"Se {kept} nu") == f"Se {kept} nu"


# --- the data migration ----------------------------------------------------------------


def _insert(table_name: str, /, **values) -> int:
    """A row written without the models (they describe the schema after the migration)."""
    table = sa.table(table_name, sa.column("id"), *[sa.column(column) for column in values])
    return db.session.execute(sa.insert(table).values(**values).returning(table.c.id)).scalar_one()


def test_migration_redacts_logged_subjects_and_links_old_reminders_to_their_lead(test_databases):
    """Rows logged before 0015 keep no body; their subjects lose secrets, and an old
    reminder ("… (codename)") is linked to its lead or, if none is found, loses its subject."""
    url = test_databases.empty()
    try:
        application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with application.app_context():
            config = application.extensions["migrate"].migrate.get_config()
            before = ScriptDirectory.from_config(config).get_revision("0015").down_revision
            upgrade(revision=before)
            now = datetime(2026, 11, 1, tzinfo=UTC)
            arboga = db.session.execute(
                sa.text("SELECT id FROM municipalities WHERE slug = 'arboga'")).scalar_one()
            owner = _insert("users", email="a@test.example", name="A", municipality_id=arboga,
                            role="advisor", active=True, locale="sv", created_at=now,
                            updated_at=now)
            flags = dict.fromkeys(["land_must", "building_must", "rail_must", "motorway_must",
                                   "terminal_must", "power_must", "water_must", "preferred_must",
                                   "start_must"], False)
            lead = _insert("leads", codename="Projekt Hemlig", source="direct",
                           received_on=date(2026, 10, 1), stage="new", stage_changed_at=now,
                           owner_id=owner, municipality_id=arboga, confidential=True, version=1,
                           created_at=now, updated_at=now, **flags)
            mail = {"recipient": "a@test.example", "locale": "sv", "created_at": now,
                    "status": "sent"}
            reminder = _insert("mail_messages", kind="follow_up_reminder",
                               subject="Påminnelse: Ring vd:n (Projekt Hemlig)", **mail)
            orphan = _insert("mail_messages", kind="follow_up_reminder",
                             subject="Påminnelse: Ring vd:n (Projekt Borta)", **mail)
            leaky = _insert("mail_messages", kind="password_reset",
                            subject="Länk http://e.test/reset/abc.def", **mail)
            plain = _insert("mail_messages", kind="digest",
                            subject="Din vecka i Etablera, vecka 49", **mail)
            db.session.commit()
            upgrade(revision="0015")
            rows = {row.id: row for row in db.session.execute(
                sa.text("SELECT id, subject, body_text FROM mail_messages"))}
            assert rows[reminder].subject == "Påminnelse: Ring vd:n (Projekt Hemlig)"
            assert rows[orphan].subject == REDACTED
            assert rows[leaky].subject == f"Länk {REDACTED}"
            assert rows[plain].subject == "Din vecka i Etablera, vecka 49"
            assert all(row.body_text is None for row in rows.values())
            links = db.session.execute(
                sa.text("SELECT mail_message_id, lead_id FROM mail_message_leads")).all()
            assert [tuple(link) for link in links] == [(reminder, lead)]
            db.session.remove()
            db.engine.dispose()
    finally:
        test_databases.drop(url)
