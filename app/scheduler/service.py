"""Heartbeat of the scheduler and what it tells admins and /healthz."""

from __future__ import annotations

import os
import socket
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.clock import utcnow
from app.extensions import db
from app.scheduler.models import SchedulerHeartbeat

HEARTBEAT_ID = 1


def beat(now: datetime | None = None) -> None:
    """Record that the scheduler is alive (the job runs every minute)."""
    now = now or utcnow()
    row = db.session.get(SchedulerHeartbeat, HEARTBEAT_ID)
    if row is None:
        row = SchedulerHeartbeat(id=HEARTBEAT_ID, beat_at=now, host="", pid=0)
        db.session.add(row)
    row.beat_at = now
    row.host = socket.gethostname()[:255]
    row.pid = os.getpid()
    db.session.commit()


def heartbeat_age(now: datetime | None = None) -> float | None:
    """Seconds since the last heartbeat; None when the scheduler never ran."""
    beat_at = db.session.scalar(
        sa.select(SchedulerHeartbeat.beat_at).where(SchedulerHeartbeat.id == HEARTBEAT_ID)
    )
    if beat_at is None:
        return None
    return max(0.0, ((now or utcnow()) - beat_at).total_seconds())


def health() -> tuple[bool, Any]:
    """For /healthz: always healthy (a stopped scheduler must not take the web
    servers out of rotation), but reports the age for monitoring to alert on."""
    try:
        age = heartbeat_age()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        age = None
    return True, {"heartbeat_age_s": None if age is None else int(age)}


def stale_heartbeat_warnings() -> list[str]:
    age = heartbeat_age()
    limit = current_app.config["SCHEDULER_STALE_AFTER"].total_seconds()
    if age is None:
        return [_("The scheduler has never run: no reminders or digests are sent. "
                  "Start it with flask scheduler run.")]
    if age > limit:
        return [_("The scheduler has not reported for %(minutes)d minutes: reminders and digests "
                  "are not being sent. Check the etablera-scheduler service.",
                  minutes=int(age // 60))]
    return []
