"""The mail service: every message logged, both parts, the recipient's language, admin log."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth import service as auth_service
from app.extensions import db
from app.mail.models import MailMessage, MailStatus
from app.mail.service import absolute_url_for, send_to_user
from tests.factories import TEST_PASSWORD, make_user
from tests.mailbox import html_part, text_part
from tests.smtp import free_port


def _log() -> list[MailMessage]:
    return list(db.session.scalars(sa.select(MailMessage).order_by(MailMessage.id)))


def _break_mail(app) -> None:
    """SMTP to a loopback port where nothing listens: the connection is refused."""
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(),
                      MAIL_TIMEOUT=2)


def test_invitation_is_logged_with_its_eml_file(client, auth, users, outbox):
    auth.login("admin@test.example", TEST_PASSWORD)
    client.post("/admin/users/new", data={"email": "ny@test.example", "name": "Ny", "locale": "sv",
                                          "municipality": "kumla", "role": "viewer", "active": "y"})
    entry = _log()[-1]
    assert (entry.recipient, entry.kind, entry.status) == ("ny@test.example", "invitation",
                                                           MailStatus.SENT)
    assert entry.subject == "Du är inbjuden till Etablera"
    assert entry.sent_at is not None and entry.eml_path.endswith(".eml")
    assert outbox.last()["Subject"] == entry.subject


def test_message_has_text_and_html_parts_in_the_recipients_language(app, outbox):
    user = make_user("en@test.example", locale="en", name="Eve Example")
    send_to_user(user, "password_reset", lambda: _l("Reset your Etablera password"), link="http://x/y")
    message = outbox.last()
    assert message["Subject"] == "Reset your Etablera password"
    assert "Hello Eve Example," in text_part(message)
    assert '<a href="http://x/y">' in html_part(message)


def test_links_in_mail_are_absolute_on_base_url(app):
    assert absolute_url_for("auth.profile") == "http://etablera.test/profile"
    app.config["BASE_URL"] = "https://etablera.example/app"
    assert absolute_url_for("auth.reset_password", token="abc") == "https://etablera.example/app/reset/abc"


def test_invitation_that_cannot_be_sent_is_logged_failed_and_the_admin_is_told(app, client, auth, users):
    auth.login("admin@test.example", TEST_PASSWORD)
    _break_mail(app)
    response = client.post(
        "/admin/users/new", data={"email": "ny@test.example", "name": "Ny", "locale": "sv",
                                  "municipality": "kumla", "role": "viewer", "active": "y"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Inbjudan till ny@test.example kunde inte skickas" in page
    entry = _log()[-1]
    assert entry.status == MailStatus.FAILED
    assert "ConnectionRefusedError" in entry.error
    assert "Skicka inbjudan igen" in page  # the account exists, the invitation can be resent


def test_admin_sends_the_invitation_again_once_mail_works(app, client, auth, users, outbox):
    invited = auth_service.create_user(email="ny@test.example", name="Ny", role="viewer",
                                       municipality=users["kumla"].municipality, invite=False)
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post(f"/admin/users/{invited.id}/invitation", follow_redirects=True)
    assert "Inbjudan skickades igen till ny@test.example." in response.get_data(as_text=True)
    assert outbox.last()["To"].addresses[0].addr_spec == "ny@test.example"


def test_reset_when_mail_is_down_tells_the_user_and_logs_the_failure(app, client, users):
    _break_mail(app)
    response = client.post("/reset", data={"email": "kumla@test.example"})
    assert response.status_code == 503
    assert "E-postmeddelandet kunde inte skickas just nu" in response.get_data(as_text=True)
    entry = _log()[-1]
    assert (entry.kind, entry.status) == ("password_reset", MailStatus.FAILED)


def test_cli_user_creation_reports_a_failed_invitation(app, runner):
    _break_mail(app)
    result = runner.invoke(args=["users", "create", "--email", "cli@test.example", "--name", "C",
                                 "--municipality", "arboga", "--role", "viewer"])
    assert result.exit_code == 1
    assert "could NOT be sent" in result.output


def test_admin_reads_the_log_with_failures_in_red(app, client, auth, users):
    send_to_user(users["kumla"], "password_reset", lambda: _l("Reset your Etablera password"),
                 link="http://x")
    _break_mail(app)
    send_to_user(users["arboga"], "password_reset", lambda: _l("Reset your Etablera password"),
                 link="http://x")
    auth.login("admin@test.example", TEST_PASSWORD)
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert "kumla@test.example" in page and "arboga@test.example" in page
    failed_row = page.split('data-status="failed"')[0].rsplit("<tr", 1)[1]
    assert "table-danger" in failed_row
    assert "ConnectionRefusedError" in page


def test_admin_opens_a_message_and_sees_it_escaped(app, client, auth, users):
    victim = make_user("x@test.example", name="<script>alert(1)</script>")
    entry = send_to_user(victim, "password_reset", lambda: _l("Reset your Etablera password"),
                         link="http://x")
    auth.login("admin@test.example", TEST_PASSWORD)
    page = client.get(f"/admin/mail/{entry.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'data-testid="mail-text"' in page  # the log's own text copy


def test_message_files_are_never_read_by_the_admin_page(app, client, auth, users, outbox):
    entry = send_to_user(users["kumla"], "password_reset", lambda: _l("Reset your Etablera password"),
                         link="http://x")
    assert entry.eml_path and len(outbox.messages()) == 1  # still written, for developers
    entry.eml_path = "../../../../etc/passwd"
    entry.body_text = None  # a message logged before the log kept copies
    db.session.commit()
    auth.login("admin@test.example", TEST_PASSWORD)
    page = client.get(f"/admin/mail/{entry.id}").get_data(as_text=True)
    assert "root:" not in page
    assert "Ingen kopia av meddelandet sparades" in page


def test_mail_log_is_for_admins_only(client, auth, users):
    assert client.get("/admin/mail/").status_code == 302  # to the login page
    for email in ("kumla@test.example", "viewer@test.example"):
        auth.login(email, TEST_PASSWORD)
        assert client.get("/admin/mail/").status_code == 403
        assert client.get("/admin/mail/1").status_code == 403
        auth.logout()
    auth.login("admin@test.example", TEST_PASSWORD)
    assert client.get("/admin/mail/").status_code == 200
