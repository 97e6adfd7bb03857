from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.auth.service import issue_api_token
from app.caching import clear_process_caches
from app.extensions import db
from tests import databases
from tests.factories import make_user
from tests.leads_helpers import LEADS, make_lead, share


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context (fresh `g` and session), as in a server;
    afterwards the test's own session is expired so it reads what the request wrote."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory):
    dbs = databases.databases_for_run(tmp_path_factory.mktemp("db"))
    dbs.build_template()
    yield dbs
    dbs.drop_template()


@pytest.fixture
def database_url(test_databases):
    url = test_databases.fresh()
    yield url
    test_databases.drop(url)


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change settings of the `app` fixture."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_overrides) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "WTF_CSRF_ENABLED": False,
        **app_overrides,
    }
    application = create_app("testing", **settings)
    application.test_client_class = IsolatedClient
    clear_process_caches()  # a new database: values cached by another test's revisions go
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """The .eml files the file transport wrote, parsed, oldest first."""
    from tests.mailbox import Outbox

    return Outbox(app.config["MAIL_OUTBOX"])


class AuthActions:
    def __init__(self, client) -> None:
        self._client = client

    def login(self, email: str, password: str = "correct-horse-battery"):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def users(app):
    """One user per demo role and municipality, password `correct-horse-battery`."""
    return {
        "admin": make_user("admin@test.example", "orebro", "admin"),
        "orebro": make_user("orebro@test.example", "orebro", "advisor"),
        "hallsberg": make_user("hallsberg@test.example", "hallsberg", "advisor"),
        "kumla": make_user("kumla@test.example", "kumla", "advisor"),
        "arboga": make_user("arboga@test.example", "arboga", "advisor"),
        "viewer": make_user("viewer@test.example", "kumla", "viewer"),
    }


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def pytest_terminal_summary(terminalreporter):
    from tests.browser.conftest import SKIPPED_REASON

    if SKIPPED_REASON:
        banner = "!" * 72
        terminalreporter.write_line(banner, red=True, bold=True)
        terminalreporter.write_line(
            f"BROWSER TESTS WERE SKIPPED: {SKIPPED_REASON[0]}. Set REQUIRE_BROWSER=1 to fail.",
            red=True, bold=True,
        )
        terminalreporter.write_line(banner, red=True, bold=True)


@pytest.fixture
def smtp_server():
    """A running aiosmtpd server on a free loopback port; see tests/smtp.py."""
    from tests.smtp import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


# --- shared fixtures of the lead tests (their helpers: tests/leads_helpers.py) ---------

@pytest.fixture
def world(app, users) -> dict:
    leads = {}
    for key, (owner, confidential, level) in LEADS.items():
        leads[key] = make_lead(users[owner], key, confidential)
        if level is not None:
            share(leads[key], "kumla", level)
    return leads


@pytest.fixture
def tokens(users) -> dict[str, str]:
    return {who: issue_api_token(user) for who, user in users.items()}
