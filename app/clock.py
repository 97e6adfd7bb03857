"""The one source of the current time (aware, in UTC), of "today" and of the
application's time zone (TIMEZONE, default Europe/Stockholm). Nothing else reads the
clock or builds a zone (tests/test_architecture.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Stockholm"


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_zone(name: str | None = None) -> ZoneInfo:
    """The application's time zone (or the zone `name`)."""
    if name is None:
        name = current_app.config["TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def local_today() -> date:
    """Today in the application's time zone."""
    return utcnow().astimezone(local_zone()).date()


def local_now() -> datetime:
    """Now in the application's time zone."""
    return utcnow().astimezone(local_zone())


def local_date_of(moment: datetime) -> date:
    """The date of an aware moment in the application's time zone."""
    return moment.astimezone(local_zone()).date()
