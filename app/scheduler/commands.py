"""`flask scheduler run`: the one scheduler, in its own process."""

from __future__ import annotations

import signal

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import AppGroup

from app.scheduler import jobs

scheduler_cli = AppGroup("scheduler", help="The scheduler of reminders and digests.")


@scheduler_cli.command("run")
def run() -> None:
    """Run the scheduler in the foreground until stopped (one per installation)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug's proxy API, untyped
    _stop_on_signals()
    scheduler = jobs.build(app, BlockingScheduler)
    click.echo("Scheduler running: heartbeat and reminders every minute, digests hourly. Ctrl-C stops.")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


def _stop_on_signals() -> None:
    """SIGINT (systemd's KillSignal, Ctrl-C) and SIGTERM stop the scheduler, even when the
    process inherited them ignored or blocked from whatever started it (a supervisor, a
    test runner's worker): such a scheduler would otherwise never stop."""

    def terminate(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, terminate)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
