"""The one source of the current time: aware, in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """Today in the application's time zone (TIMEZONE, default Europe/Stockholm)."""
    zone = current_app.config["TIMEZONE"] if has_app_context() else "Europe/Stockholm"
    return utcnow().astimezone(ZoneInfo(zone)).date()
