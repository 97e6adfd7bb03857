"""The public form's rate limit per client address: a friendly 429 page, and with Redis
(RATELIMIT_STORAGE_URI, the production setting) one count across server processes."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from tests.intake_helpers import FORM, submit
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def app_overrides() -> dict:
    return {"INTAKE_MIN_FILL_SECONDS": 0, "INTAKE_RATE_LIMIT": "2 per minute",
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}


def test_the_third_inquiry_within_a_minute_gets_the_friendly_429_page(client, users):
    assert submit(client, municipalities=["kumla"]).status_code == 302
    assert submit(client, municipalities=["kumla"], homepage="bot").status_code == 302
    response = submit(client, municipalities=["kumla"], query="?lang=en")
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "Too many inquiries" in response.get_data(as_text=True)
    assert client.get("/inquiry").status_code == 200  # showing the form is not limited


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but no Redis at {REDIS}")
        pytest.skip(f"REDIS TEST SKIPPED: no Redis at {REDIS}")


def _serve(database_url: str, port: int, prefix: str) -> subprocess.Popen:
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    env.update({"FLASK_APP": "wsgi", "ETABLERA_ENV": "testing",
                "TEST_DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": REDIS,
                "RATELIMIT_KEY_PREFIX": prefix, "INTAKE_RATE_LIMIT": "3 per minute",
                "INTAKE_MIN_FILL_SECONDS": "0"})
    return subprocess.Popen([sys.executable, "-m", "flask", "run", "--no-reload",
                             "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _attempt in range(300):
        if process.poll() is not None:
            raise AssertionError(f"the server at {url} stopped")
        try:
            requests.get(url + "/healthz", timeout=1)
            return
        except requests.ConnectionError:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)
    raise AssertionError(f"the server at {url} did not start")


def _post_form(url: str) -> int:
    """Show the form, then send it as a bot would (the honeypot filled: nothing is stored,
    but the request counts for the address all the same)."""
    session = requests.Session()
    html = session.get(url + "/inquiry", timeout=10).text
    fields = dict(re.findall(r'name="(csrf_token|started)" type="hidden" value="([^"]+)"', html))
    assert set(fields) == {"csrf_token", "started"}, "the form lacks its hidden fields"
    return session.post(url + "/inquiry", data={**FORM, **fields, "homepage": "x"},
                        allow_redirects=False, timeout=10).status_code


@pytest.mark.sqlite_only
def test_two_server_processes_count_one_address_together_in_redis(database_url, users):
    _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            servers.append((f"http://127.0.0.1:{port}", _serve(database_url, port, prefix)))
        for url, process in servers:
            _wait_until_up(url, process)
        (first, _p1), (second, _p2) = servers
        answers = [_post_form(first), _post_form(second), _post_form(first), _post_form(second)]
        assert answers == [302, 302, 302, 429]
    finally:
        for _url, process in servers:
            process.terminate()
            process.wait(timeout=10)
