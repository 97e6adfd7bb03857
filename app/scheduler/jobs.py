"""The scheduler's jobs. The schedule only decides when to look; our tables decide
what is due, so missed runs are caught up by the next one.

Exactly one scheduler may run: `flask scheduler run` in production (its own
process, see deploy/etablera-scheduler.service), or embedded in `make run`'s
development server. Web workers, other CLI commands and tests never start one.
No APScheduler job store tables: jobs live in memory and are rebuilt at start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from app.clock import local_zone, utcnow

log = logging.getLogger(__name__)

JOB_DEFAULTS = {
    "coalesce": True,  # after downtime, run once, not once per missed time
    "misfire_grace_time": 3600,  # the default 1 s would skip a job after any pause
    "max_instances": 1,
}


def in_app_context(app: Flask, function: Callable[[], object], name: str) -> Callable[[], None]:
    """A job that runs `function` in a fresh application context each time."""

    def job() -> None:
        with app.app_context():
            try:
                function()
            except Exception:
                log.exception("scheduled job %s failed", name)
                raise

    job.__name__ = name
    return job


def add_jobs(app: Flask, scheduler: BaseScheduler) -> None:
    from app.deliveries import close_abandoned_mail
    from app.digest.service import send_due_digests
    from app.digest.weeks import digest_time
    from app.reminders.service import send_due_reminders
    from app.scheduler.service import beat

    zone = local_zone(app.config["TIMEZONE"])
    with app.app_context():
        minute = digest_time().minute
    now = utcnow().astimezone(zone)
    scheduler.add_job(in_app_context(app, beat, "heartbeat"), IntervalTrigger(minutes=1),
                      id="heartbeat", next_run_time=now)
    scheduler.add_job(in_app_context(app, send_due_reminders, "reminders"),
                      IntervalTrigger(minutes=1), id="reminders", next_run_time=now)
    scheduler.add_job(in_app_context(app, close_abandoned_mail, "abandoned mail"),
                      IntervalTrigger(minutes=10), id="abandoned_mail", next_run_time=now)
    # Hourly at the digest's minute; the job sends only once the week's digest is due,
    # and the first run at start catches up on the current week after downtime.
    scheduler.add_job(in_app_context(app, send_due_digests, "digests"),
                      CronTrigger(minute=minute, timezone=zone), id="digests", next_run_time=now)


def build(app: Flask, scheduler_class: type[BaseScheduler]) -> BaseScheduler:
    scheduler = scheduler_class(timezone=local_zone(app.config["TIMEZONE"]),
                                job_defaults=JOB_DEFAULTS)
    add_jobs(app, scheduler)
    return scheduler
