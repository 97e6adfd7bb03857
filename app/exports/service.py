"""Exports off the request path: request one, run it as a job, list, download, expire.

An XLSX of more than EXPORT_JOB_THRESHOLD rows is not written in the request: a POST
starts it (`tasks.start_export`: an `Export` recorded as queued, its job enqueued). The
job re-loads the requester and chooses the rows with the requester's scope at that moment (the lead
rules and their audit of confidential leads of another municipality apply as in the
request), writes the workbook (openpyxl write-only) into EXPORTS_DIR and marks the
export done; its file can be downloaded by the requester alone until `expires_at`
(EXPORT_RETENTION after it was done), then `delete_expired_exports` deletes it.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.clock import local_date_of, utcnow
from app.exports.access import own_exports
from app.exports.files import file_name
from app.exports.models import Export, ExportKind, ExportStatus
from app.extensions import db
from app.notifications import service as notifications
from app.viewer import Viewer

log = logging.getLogger(__name__)
LIST_LIMIT = 50


def job_threshold() -> int:
    """Exports of more rows than this run as a job."""
    return current_app.config["EXPORT_JOB_THRESHOLD"]


def exports_dir() -> Path:
    path = Path(current_app.config["EXPORTS_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def record_export(user: Viewer, kind: ExportKind, filters: Any) -> Export:
    """Record a queued export of `kind` with `filters` (a LeadFilters or SiteFilter) for
    `user` (app.exports.tasks.start_export enqueues its job)."""
    export = Export(user_id=user.id, municipality_id=user.municipality_id, kind=kind,
                    filters=dataclasses.asdict(filters), status=ExportStatus.QUEUED)
    db.session.add(export)
    db.session.commit()
    return export


def run_export(export_id: int, now: Callable[[], datetime] = utcnow) -> Export | None:
    """The job: write the export's file with the requester's current scope."""
    claimed = cast(sa.CursorResult, db.session.execute(
        sa.update(Export).where(Export.id == export_id, Export.status == ExportStatus.QUEUED)
        .values(status=ExportStatus.RUNNING)))
    db.session.commit()
    export = db.session.get(Export, export_id)
    if export is None or claimed.rowcount != 1:
        return export  # gone, or already run (a retried or duplicated task)
    file_name = f"{export.kind.value}-{export.id}-{secrets.token_hex(8)}.xlsx"
    path = exports_dir() / file_name
    try:
        user = _requester(export)
        with force_locale(user.locale or "sv"):  # labels and headers as in the request
            count = _WRITERS[export.kind](user, export.filters, str(path))
    except Exception as error:  # noqa: BLE001 - the job records any failure for its requester
        db.session.rollback()
        path.unlink(missing_ok=True)
        log.exception("export %s failed", export_id)
        export = db.session.get_one(Export, export_id)
        export.status, export.error = ExportStatus.FAILED, str(error)[:1000]
        export.finished_at = now()
        db.session.commit()
        return export
    export = db.session.get_one(Export, export_id)  # audit commits expired it
    finished = now()
    export.status, export.row_count, export.file_name = ExportStatus.DONE, count, file_name
    export.finished_at = finished
    export.expires_at = finished + current_app.config["EXPORT_RETENTION"]
    notifications.notify([user], "export_ready", {"rows": count}, "/exports")
    db.session.commit()
    notifications.send_queued()  # outside a request: nothing else sends it at once
    return export


def _requester(export: Export) -> Any:
    from app.auth.models import User

    user = db.session.get(User, export.user_id)
    if user is None or not user.is_active:
        raise PermissionError("the requester's account is no longer active")
    return user


def _write_leads(user: Viewer, filters: dict[str, Any], target: str) -> int:
    from app.leads import export
    from app.leads.queries import LeadFilters

    ids = export.export_lead_ids(user, LeadFilters(**filters), "xlsx")
    return export.write_xlsx(export.iter_export_rows(user, ids), target)


def _write_sites(user: Viewer, filters: dict[str, Any], target: str) -> int:
    from app.sites import export
    from app.sites.service import SiteFilter, filtered_sites

    statement = filtered_sites(user, SiteFilter(**filters))
    return export.write_xlsx(export.iter_sites(statement), target)


_WRITERS: dict[ExportKind, Callable[[Any, dict[str, Any], str], int]] = {
    ExportKind.LEADS: _write_leads,
    ExportKind.SITES: _write_sites,
}


def kind_labels() -> dict[ExportKind, str]:
    return {ExportKind.LEADS: _("Leads"), ExportKind.SITES: _("Sites")}


def status_labels() -> dict[ExportStatus, str]:
    return {ExportStatus.QUEUED: _("Queued"), ExportStatus.RUNNING: _("Being prepared"),
            ExportStatus.DONE: _("Ready"), ExportStatus.FAILED: _("Failed"),
            ExportStatus.EXPIRED: _("Expired (deleted)")}


def user_exports(user: Viewer) -> list[Export]:
    """The user's own exports, newest first."""
    statement = own_exports(user).order_by(Export.created_at.desc(), Export.id.desc())
    return list(db.session.scalars(statement.limit(LIST_LIMIT)))


def has_pending(exports: list[Export]) -> bool:
    return any(export.pending for export in exports)


def downloadable_file(user: Viewer, export_id: int,
                      now: Callable[[], datetime] = utcnow) -> tuple[Path, str]:
    """The file of the user's own finished, unexpired export and the name to download it
    as; 404 for anything else (another user's export, admins included)."""
    export = db.session.scalar(own_exports(user).where(Export.id == export_id))
    if export is None or export.status != ExportStatus.DONE or export.expires_at is None \
            or export.expires_at <= now() or not export.file_name:
        abort(404)
    path = exports_dir() / export.file_name
    if not path.is_file():
        abort(404)
    stem = _("leads") if export.kind == ExportKind.LEADS else _("sites")
    return path, file_name(stem, "xlsx", local_date_of(export.created_at))


def delete_expired_exports(now: Callable[[], datetime] = utcnow) -> int:
    """Delete the files of exports past `expires_at` and mark them expired; returns how many.
    An export still queued or running EXPORT_RETENTION after it was asked for (its job
    was lost with a stopped consumer) is marked failed."""
    moment = now()
    statement = sa.select(Export).where(Export.status == ExportStatus.DONE,
                                        Export.expires_at <= moment)
    expired = list(db.session.scalars(statement))
    for export in expired:
        if export.file_name:
            (exports_dir() / export.file_name).unlink(missing_ok=True)
        export.status, export.file_name = ExportStatus.EXPIRED, None
    lost = sa.select(Export).where(
        Export.status.in_([ExportStatus.QUEUED, ExportStatus.RUNNING]),
        Export.created_at <= moment - current_app.config["EXPORT_RETENTION"])
    for export in db.session.scalars(lost):
        export.status, export.error, export.finished_at = ExportStatus.FAILED, "lost", moment
    db.session.commit()
    return len(expired)
