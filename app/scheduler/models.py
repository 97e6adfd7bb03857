"""The scheduler's heartbeat: one row, rewritten every minute."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class SchedulerHeartbeat(Model):
    __tablename__ = "scheduler_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    beat_at: Mapped[datetime]
    host: Mapped[str] = mapped_column(sa.String(255))
    pid: Mapped[int]
