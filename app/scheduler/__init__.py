"""The scheduler: heartbeat, reminders and digests (see jobs.py).

`make run` sets ETABLERA_EMBEDDED_SCHEDULER=1 for the development server, which
then runs the scheduler in a background thread of the process that serves
(the reloader's child, or the only process without the reloader). Nothing
else starts one: gunicorn workers, `flask` commands and tests never do.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Mapping

import click
from flask import Flask
from flask.cli import get_debug_flag, run_command

_embedded = None


def init_app(app: Flask) -> None:
    from app.admin.service import register_warning_check
    from app.health import check
    from app.scheduler.commands import scheduler_cli
    from app.scheduler.service import health, stale_heartbeat_warnings

    app.cli.add_command(scheduler_cli)
    check("scheduler")(health)
    register_warning_check(stale_heartbeat_warnings)
    if embedded_scheduler_wanted(app):
        start_embedded(app)


def embedded_scheduler_wanted(app: Flask, environ: Mapping[str, str] | None = None,
                              variable: str = "ETABLERA_EMBEDDED_SCHEDULER") -> bool:
    """True only in `flask run` with `variable`=1, in the process that serves: the
    reloader's child (WERKZEUG_RUN_MAIN=true), or the single process when the reloader
    is off. Never under testing or production. (The task queue's consumer uses it with
    ETABLERA_EMBEDDED_WORKER, app.exports.)"""
    if environ is None:
        environ = os.environ
    if environ.get(variable) != "1":
        return False
    if app.testing or app.config.get("ENV_NAME") in {"testing", "production"}:
        return False
    context = click.get_current_context(silent=True)
    if context is None or context.command is not run_command:
        return False
    if environ.get("WERKZEUG_RUN_MAIN") == "true":
        return True
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload  # with the reloader, this is the watching parent: it never serves


def start_embedded(app: Flask) -> None:
    global _embedded
    if _embedded is not None:
        return
    from apscheduler.schedulers.background import BackgroundScheduler

    from app.scheduler import jobs

    _embedded = jobs.build(app, BackgroundScheduler)
    _embedded.start()
    atexit.register(lambda: _embedded.shutdown(wait=False))
    app.logger.info("Embedded scheduler started (development server).")
