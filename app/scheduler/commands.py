"""`flask scheduler run`: the one scheduler, in its own process."""

from __future__ import annotations

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import AppGroup

from app.scheduler import jobs

scheduler_cli = AppGroup("scheduler", help="The scheduler of reminders and digests.")


@scheduler_cli.command("run")
def run() -> None:
    """Run the scheduler in the foreground until stopped (one per installation)."""
    app = current_app._get_current_object()
    scheduler = jobs.build(app, BlockingScheduler)
    click.echo("Scheduler running: heartbeat and reminders every minute, digests hourly. Ctrl-C stops.")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
