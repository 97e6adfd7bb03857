"""Exports: XLSX files of more than EXPORT_JOB_THRESHOLD rows made by a job of the task
queue (Huey, app.exports.queue), listed at /exports for their requester alone and kept
for EXPORT_RETENTION; and the one cleaning function of every exported cell (cells.py)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app.exports import queue, tasks  # noqa: F401 - tasks: registers the jobs
    from app.exports.commands import exports_cli
    from app.exports.routes import bp
    from app.navigation import add_nav_item
    from app.scheduler import embedded_scheduler_wanted

    queue.configure(app)
    app.register_blueprint(bp)
    app.cli.add_command(exports_cli)
    add_nav_item("exports.index", _l("Exports"), order=90)
    if embedded_scheduler_wanted(app, variable="ETABLERA_EMBEDDED_WORKER"):
        queue.start_embedded(app)
