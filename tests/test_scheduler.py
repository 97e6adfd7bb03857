"""One scheduler only where we ask for it; its heartbeat in /healthz and on the admin page."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import click
import pytest
import time_machine
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask.cli import run_command

import app.scheduler as scheduler_module
from app import create_app
from app.clock import utcnow
from app.extensions import db
from app.scheduler import embedded_scheduler_wanted, jobs
from app.scheduler.models import SchedulerHeartbeat
from app.scheduler.service import beat
from tests.factories import TEST_PASSWORD
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")


def _heartbeat() -> SchedulerHeartbeat | None:
    db.session.expire_all()
    return db.session.get(SchedulerHeartbeat, 1)


def test_create_app_in_tests_never_starts_a_scheduler(database_url, monkeypatch):
    monkeypatch.setenv("ETABLERA_EMBEDDED_SCHEDULER", "1")
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    with click.Context(run_command, info_name="run") as context:
        context.params = {"reload": False}
        create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    assert scheduler_module._embedded is None


@pytest.mark.parametrize(
    ("command", "reload", "environ", "wanted"),
    [
        (run_command, None, {"WERKZEUG_RUN_MAIN": "true"}, True),  # the reloader's child serves
        (run_command, None, {}, False),  # --debug: the reloader's watching parent
        (run_command, True, {}, False),
        (run_command, False, {}, True),  # --no-reload: the only process
        (click.Command("send"), None, {"WERKZEUG_RUN_MAIN": "true"}, False),  # other CLI commands
        (None, None, {"WERKZEUG_RUN_MAIN": "true"}, False),  # gunicorn: no command at all
    ],
)
def test_embedded_scheduler_only_in_the_serving_development_process(
        app, monkeypatch, command, reload, environ, wanted):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app.testing = False
    app.config["ENV_NAME"] = "development"
    environ = {"ETABLERA_EMBEDDED_SCHEDULER": "1", **environ}
    if command is None:
        assert embedded_scheduler_wanted(app, environ) is wanted
        return
    with click.Context(command, info_name=command.name) as context:
        context.params = {"reload": reload}
        assert embedded_scheduler_wanted(app, environ) is wanted
        # Without the variable (gunicorn, cron, `make test`) never.
        assert embedded_scheduler_wanted(app, {"WERKZEUG_RUN_MAIN": "true"}) is False
        app.config["ENV_NAME"] = "production"
        assert embedded_scheduler_wanted(app, environ) is False


def _env(database_url: str, **extra: str) -> dict:
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    # PYTHONFAULTHANDLER: a process that does not stop prints its threads' stacks on SIGABRT
    env.update({"FLASK_APP": "wsgi", "DATABASE_URL": database_url, "PYTHONFAULTHANDLER": "1",
                **extra})
    return env


def _stop(process: subprocess.Popen, how: int = signal.SIGINT) -> str:
    """Stop `process` with `how` and return its output; if it does not stop within 30 s,
    fail with the stacks of its threads."""
    process.send_signal(how)
    try:
        return process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        output = process.communicate(timeout=30)[0]
        raise AssertionError(f"the process did not stop:\n{output}") from None


def test_importing_the_wsgi_app_as_gunicorn_does_starts_no_scheduler(database_url):
    env = _env(database_url, ETABLERA_ENV="development", ETABLERA_EMBEDDED_SCHEDULER="1",
               WERKZEUG_RUN_MAIN="true")
    probe = ("import threading, wsgi, app.scheduler as s; "
             "print(s._embedded, sorted(t.name for t in threading.enumerate()))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None ['MainThread']"


def _wait_for_heartbeat(process: subprocess.Popen, polls: int = 130) -> SchedulerHeartbeat:
    """Poll every 0.3 s, 130 times (about 40 s): a count, not a wall-clock deadline."""
    for _poll in range(polls):
        row = _heartbeat()
        if row is not None:
            return row
        assert process.poll() is None, process.stdout.read()
        time.sleep(0.3)
    raise AssertionError("no heartbeat")


def test_make_runs_development_server_starts_exactly_one_scheduler_in_the_reloaders_child(
        app, database_url):
    env = _env(database_url, ETABLERA_ENV="development", ETABLERA_EMBEDDED_SCHEDULER="1",
               MAIL_BACKEND="console")
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "run", "--debug", "--port", str(free_port())],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        row = _wait_for_heartbeat(server)
        assert row.pid != server.pid  # written by the reloader's child, not the watcher
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert output.count("Embedded scheduler started") == 1, output


def test_flask_scheduler_run_beats_until_stopped(app, database_url):
    env = _env(database_url, ETABLERA_ENV="testing", TEST_DATABASE_URL=database_url)
    process = subprocess.Popen([sys.executable, "-m", "flask", "scheduler", "run"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        row = _wait_for_heartbeat(process)
        assert row.pid == process.pid
    finally:
        _stop(process)


def test_jobs_run_often_catch_up_and_need_no_job_store_tables(app):
    scheduler = jobs.build(app, BackgroundScheduler)
    scheduler.start(paused=True)  # applies the job defaults, runs nothing
    by_id = {job.id: job for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    assert set(by_id) == {"heartbeat", "reminders", "digests", "abandoned_mail"}
    for job in by_id.values():
        assert job.coalesce is True and job.misfire_grace_time == 3600 and job.max_instances == 1
    assert by_id["reminders"].trigger.interval == timedelta(minutes=1)
    assert by_id["heartbeat"].trigger.interval == timedelta(minutes=1)
    assert by_id["abandoned_mail"].trigger.interval == timedelta(minutes=10)
    digests = by_id["digests"].trigger
    assert str(digests.timezone) == "Europe/Stockholm"
    assert {f.name: str(f) for f in digests.fields}["minute"] == "0"  # hourly, at DIGEST_TIME's minute
    assert all(isinstance(store, MemoryJobStore) for store in scheduler._jobstores.values())


def test_each_job_runs_in_its_own_application_context(app):
    job = jobs.in_app_context(app, beat, "heartbeat")
    thread = threading.Thread(target=job)  # a scheduler thread has no context of its own
    thread.start()
    thread.join()
    assert _heartbeat() is not None


def test_healthz_reports_the_heartbeat_age_and_stays_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["scheduler"] == {"heartbeat_age_s": None}
    beat()
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["scheduler"] == {"heartbeat_age_s": 660}


def test_admin_start_page_warns_when_the_heartbeat_is_missing_or_old(client, auth, users):
    auth.login("admin@test.example", TEST_PASSWORD)
    assert "Schemaläggaren har aldrig körts" in client.get("/admin/").get_data(as_text=True)
    beat()
    assert "Schemaläggaren" not in client.get("/admin/").get_data(as_text=True)
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        page = client.get("/admin/").get_data(as_text=True)
    assert "Schemaläggaren har inte hörts av på 11 minuter" in page


def _ignore_and_block_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def test_flask_scheduler_run_stops_on_sigint_even_if_started_ignoring_it(app, database_url):
    """A supervisor or a test runner's worker may start the scheduler with SIGINT ignored
    or blocked (inherited); systemd then stops it with SIGINT (KillSignal) in vain."""
    env = _env(database_url, ETABLERA_ENV="testing", TEST_DATABASE_URL=database_url)
    process = subprocess.Popen([sys.executable, "-m", "flask", "scheduler", "run"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, preexec_fn=_ignore_and_block_sigint)
    try:
        _wait_for_heartbeat(process)
    finally:
        _stop(process)
    assert process.returncode == 0


def test_flask_scheduler_run_stops_on_sigterm(app, database_url):
    env = _env(database_url, ETABLERA_ENV="testing", TEST_DATABASE_URL=database_url)
    process = subprocess.Popen([sys.executable, "-m", "flask", "scheduler", "run"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_heartbeat(process)
    finally:
        _stop(process, signal.SIGTERM)
    assert process.returncode == 0
