"""Two `flask digest send` processes at once against one database (the test run's
SQLite file or PostgreSQL database): every user receives exactly one digest."""

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from app.deliveries import DeliveryStatus
from app.digest.models import DigestDelivery
from app.extensions import db
from tests.factories import make_user
from tests.smtp import SmtpServer

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-W48"  # in the past, so its digests are due whatever the real date
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")


def _flask(database_url: str, server: SmtpServer, *args: str) -> subprocess.Popen:
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    env.update({
        "FLASK_APP": "wsgi",
        "ETABLERA_ENV": "testing",
        "TEST_DATABASE_URL": database_url,
        "TEST_MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(server.port),
        "DIGEST_SKIP_EMPTY": "0",  # no section is registered in the subprocess: send empty digests
    })
    return subprocess.Popen([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _run_together(database_url: str, server: SmtpServer, count: int) -> list[str]:
    processes = [_flask(database_url, server, "digest", "send", "--week", WEEK)
                 for _ in range(count)]
    outputs = []
    for process in processes:
        output, _ = process.communicate(timeout=180)
        assert process.returncode == 0, output
        outputs.append(output)
    return outputs


def test_two_processes_at_once_send_every_user_exactly_one_digest(app, database_url):
    users = [make_user(f"p{n:02d}@test.example") for n in range(40)]
    addresses = {user.email for user in users}
    db.session.remove()
    server = SmtpServer(delay=0.01).start()
    try:
        outputs = _run_together(database_url, server, 2)
        assert server.recipient_counts() == {address: 1 for address in addresses}, outputs
        sent_lines = [line for output in outputs for line in output.splitlines()
                      if line.startswith("sent: ")]
        assert sorted(sent_lines) == sorted(f"sent: {address}" for address in addresses)

        rows = db.session.scalars(sa.select(DigestDelivery).where(DigestDelivery.iso_week == WEEK))
        assert {row.user.email: (row.status, row.attempts) for row in rows} == {
            address: (DeliveryStatus.SENT, 1) for address in addresses
        }
        # A repeat run in the same week sends nothing.
        (again,) = _run_together(database_url, server, 1)
        assert f"{WEEK}: sent 0" in again
        assert sum(server.recipient_counts().values()) == len(addresses)
    finally:
        server.stop()
