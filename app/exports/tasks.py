"""The jobs of the task queue (app.exports.queue) for exports."""

from __future__ import annotations

from typing import Any

from huey import crontab

from app.exports import service
from app.exports.models import Export, ExportKind
from app.exports.queue import huey, job_context
from app.viewer import Viewer


def start_export(user: Viewer, kind: ExportKind, filters: Any) -> Export:
    """Record an export and enqueue its job (run at once in immediate mode)."""
    export = service.record_export(user, kind, filters)
    run_export(export.id)
    return export


@huey.task()
def run_export(export_id: int) -> None:
    with job_context():
        service.run_export(export_id)


@huey.periodic_task(crontab(minute="*/10"))
def delete_expired_exports() -> None:
    """Every ten minutes: files past their 24 hours go."""
    with job_context():
        service.delete_expired_exports()
