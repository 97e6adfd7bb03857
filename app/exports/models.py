"""Exports produced off the request path: one row per requested file."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db_types import enum_column
from app.extensions import Model


class ExportKind(enum.StrEnum):
    LEADS = "leads"
    SITES = "sites"


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


class Export(Model):
    """An XLSX export run as a job of the task queue (app.exports.tasks).

    Only its requester sees it (app.exports.access). `filters` are the list's filters as
    given; the rows are chosen with the requester's scope when the job runs. A finished
    file is kept under EXPORTS_DIR as `file_name` until `expires_at`, then deleted and the
    row marked expired.
    """

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    kind: Mapped[ExportKind] = mapped_column(enum_column(ExportKind, 16))
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    status: Mapped[ExportStatus] = mapped_column(enum_column(ExportStatus, 16),
                                                 default=ExportStatus.QUEUED)
    row_count: Mapped[int | None]
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    error: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
