"""Response headers (app/security.py) and access logs without secrets (app/access_log.py):
issue 12, item 9."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.access_log import RedactingFilter, RedactingGunicornLogger, redact_secrets
from app.calendar_feed.service import renew_secret
from app.security import content_security_policy, tile_source
from tests.factories import make_site
from tests.leads_helpers import bearer, login, make_lead

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{20,})'")


def _nonce(response) -> str:
    match = NONCE.search(response.headers["Content-Security-Policy"])
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


# --- Content-Security-Policy -------------------------------------------------------------


def test_pages_have_a_content_security_policy_with_a_fresh_nonce_and_no_unsafe_inline_script(
        client, users):
    first, second = client.get("/login"), client.get("/login")
    policy = first.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert _nonce(first) != _nonce(second)


def test_the_policy_allows_the_configured_tile_server():
    policy = content_security_policy("abc", "https://{s}.tiles.example.se/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tiles.example.se;" in policy
    assert tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org")
    assert tile_source("data:image/png;base64,AAAA") is None


def test_every_inline_script_on_a_map_page_carries_the_requests_nonce(client, users):
    site = make_site("kumla", name="Tomt med karta", lat=59.28, lon=15.25)
    login(client, "kumla")
    for url in ("/sites/map", f"/sites/{site.id}"):
        response = client.get(url)
        assert response.status_code == 200, url
        nonce = _nonce(response)
        scripts = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True))
        inline = [tag for tag in scripts if "src=" not in tag]
        assert inline, f"{url}: a map page has Folium's inline scripts"
        assert all(f'nonce="{nonce}"' in tag for tag in inline), (url, inline)


def test_no_template_has_an_inline_event_handler_or_a_javascript_url():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert "javascript:" not in text.lower(), path
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "csp_nonce()" in tag, (path, tag)


def test_pages_may_not_be_framed(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_only_in_production(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["ENV_NAME"] = "production"
    assert client.get("/login").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains")


# --- Cache-Control ------------------------------------------------------------------------


def test_pages_of_a_signed_in_user_are_not_stored(client, users):
    login(client, "kumla")
    for url in ("/", "/leads", "/pipeline", "/followups", "/profile", "/sites"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_exports_are_not_stored(client, users):
    make_lead(users["kumla"], "export")
    login(client, "kumla")
    for url in ("/leads/export.csv", "/leads/export.xlsx", "/sites/export.csv",
                "/sites/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_api_answers_are_not_stored(client, users, tokens):
    for url in ("/api/v1/me", "/api/v1/leads", "/api/v1/openapi.json"):
        response = client.get(url, headers=bearer(tokens["kumla"]))
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    assert client.get("/api/v1/leads").headers["Cache-Control"] == "no-store"  # a 401 too


def test_the_calendar_feed_is_not_stored(client, users):
    secret = renew_secret(users["kumla"])
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_public_static_files_keep_caching(client):
    response = client.get("/static/js/maps.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


# --- access logs --------------------------------------------------------------------------

SECRET = "Zx9-secretvalue_0123456789abcdefABCDEF"


@pytest.mark.parametrize(("line", "expected"), [
    (f'"GET /calendar/{SECRET}.ics HTTP/1.1" 200 -', '"GET /calendar/[borttaget].ics HTTP/1.1" 200 -'),
    (f'"GET /reset/{SECRET} HTTP/1.1" 200 -', '"GET /reset/[borttaget] HTTP/1.1" 200 -'),
    (f'"POST /invitation/{SECRET}?x=1 HTTP/1.1" 302 -',
     '"POST /invitation/[borttaget]?x=1 HTTP/1.1" 302 -'),
    (f'"GET /api/v1/leads?token={SECRET}&page=2 HTTP/1.1" 200 -',
     '"GET /api/v1/leads?token=[borttaget]&page=2 HTTP/1.1" 200 -'),
    (f"Authorization: Bearer {SECRET}", "Authorization: Bearer [borttaget]"),
    ('"GET /profile HTTP/1.1" 200 -', '"GET /profile HTTP/1.1" 200 -'),
    ('"POST /profile/calendar HTTP/1.1" 200 -', '"POST /profile/calendar HTTP/1.1" 200 -'),
])
def test_redact_secrets(line, expected):
    assert redact_secrets(line) == expected


def test_the_development_servers_access_log_loses_calendar_secrets_and_tokens(app):
    """werkzeug logs `'%s - - [%s] %s\\n' % (address, time, message)` with the request
    line's parts as arguments; the filter app/security.py installs rewrites the record."""
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, RedactingFilter) for f in logger.filters)
    for path in (f"/calendar/{SECRET}.ics", f"/reset/{SECRET}", f"/invitation/{SECRET}",
                 f"/leads?token={SECRET}"):
        record = logger.makeRecord("werkzeug", logging.INFO, __file__, 1,
                                   '127.0.0.1 - - [04/Dec/2026 01:00:00] "%s" %s %s',
                                   (f"GET {path} HTTP/1.1", "200", "-"), None)
        assert logger.filter(record)  # the logger's filters, as Logger.handle applies them
        message = logging.Formatter().format(record)
        assert SECRET not in message and "[borttaget]" in message, message
        assert message.startswith('127.0.0.1 - - [04/Dec/2026 01:00:00] "GET /')


def test_the_application_log_loses_secrets_of_failed_requests(app):
    """Flask logs "Exception on <path> [GET]" to app.logger when a request fails."""
    record = app.logger.makeRecord(app.logger.name, logging.ERROR, __file__, 1,
                                   f"Exception on /calendar/{SECRET}.ics [GET]", (), None)
    assert app.logger.filter(record)
    assert record.getMessage() == "Exception on /calendar/[borttaget].ics [GET]"


def test_gunicorns_access_log_loses_calendar_secrets_tokens_and_credentials():
    from gunicorn.config import Config as GunicornConfig

    config = GunicornConfig()
    config.set("logger_class", "app.access_log.RedactingGunicornLogger")
    assert config.logger_class is RedactingGunicornLogger
    log = RedactingGunicornLogger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/calendar/{SECRET}.ics?token={SECRET}",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": f"/calendar/{SECRET}.ics",
               "QUERY_STRING": f"token={SECRET}", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": f"https://etablera.example/reset/{SECRET}",
               "HTTP_AUTHORIZATION": f"Bearer {SECRET}", "HTTP_COOKIE": f"session={SECRET}"}
    request = SimpleNamespace(headers=[("AUTHORIZATION", f"Bearer {SECRET}"),
                                       ("COOKIE", f"session={SECRET}")])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = log.atoms(response, request, environ, timedelta(milliseconds=5))
    assert atoms["r"] == "GET /calendar/[borttaget].ics?token=[borttaget] HTTP/1.1"
    assert atoms["U"] == "/calendar/[borttaget].ics"
    assert atoms["f"] == "https://etablera.example/reset/[borttaget]"
    assert SECRET not in repr(atoms)


def test_the_gunicorn_config_uses_the_redacting_logger():
    from gunicorn.app.base import Application

    class Probe(Application):
        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    probe = Probe.__new__(Probe)
    probe.usage, probe.prog, probe.callable = None, None, None
    probe.cfg = __import__("gunicorn.config", fromlist=["Config"]).Config()
    probe.load_config_from_file(str(Path(__file__).resolve().parent.parent
                                    / "deploy" / "gunicorn.conf.py"))
    assert probe.cfg.logger_class is RedactingGunicornLogger
    unit = (Path(__file__).resolve().parent.parent / "deploy" / "etablera-web.service").read_text()
    assert "-c deploy/gunicorn.conf.py" in unit
