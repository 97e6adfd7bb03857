"""The jobs of the task queue (app.exports.queue) for exports."""

from __future__ import annotations

from huey import crontab

from app.exports import service
from app.exports.queue import huey, job_context


@huey.task()
def run_export(export_id: int) -> None:
    with job_context():
        service.run_export(export_id)


@huey.periodic_task(crontab(minute="*/10"))
def delete_expired_exports() -> None:
    """Every ten minutes: files past their 24 hours go."""
    with job_context():
        service.delete_expired_exports()
