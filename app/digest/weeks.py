"""ISO weeks in the configured time zone, and when a week's digest is due.

Weeks are local (Europe/Stockholm): Monday 00:10 in Stockholm is already the
new week although it is still Sunday in UTC. Local times are turned into UTC
with zoneinfo, so the daylight-saving changes move the UTC instant, not the
local time (Monday 07:00 is 06:00 UTC in winter and 05:00 UTC in summer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from app.clock import local_zone
from app.input_rules import whole_number

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """`2026-W48` → IsoWeek; ValueError for anything else (or week 53 of a 52-week year)."""
        match = WEEK_PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"not an ISO week like 2026-W48: {text!r}")
        week = cls(int(match.group(1)), int(match.group(2)))
        week.day(1)  # validates
        return week

    @classmethod
    def of(cls, moment: datetime, zone: ZoneInfo | None = None) -> IsoWeek:
        """The local ISO week an aware instant falls in."""
        local = moment.astimezone(zone or timezone())
        year, week, _ = local.isocalendar()
        return cls(year, week)

    def day(self, weekday: int) -> date:
        """The date of ISO weekday 1 (Monday) … 7 (Sunday) of this week."""
        return date.fromisocalendar(self.year, self.week, weekday)

    def next(self) -> IsoWeek:
        year, week, _ = (self.day(1) + timedelta(days=7)).isocalendar()
        return IsoWeek(year, week)

    def bounds(self, zone: ZoneInfo | None = None) -> tuple[datetime, datetime]:
        """[start, end) of the week in UTC: local Monday 00:00 to the next local Monday 00:00."""
        return local_instant(self.day(1), time(0), zone), local_instant(self.next().day(1), time(0), zone)


def timezone() -> ZoneInfo:
    return local_zone()


def local_instant(day: date, at: time, zone: ZoneInfo | None = None) -> datetime:
    """The UTC instant of a local wall-clock time (a time skipped by DST counts as
    the time before the change, the first of a repeated hour is taken)."""
    return datetime.combine(day, at, tzinfo=zone or timezone()).astimezone(UTC)


def digest_weekday() -> int:
    """DIGEST_DAY as ISO weekday 1–7; accepts `monday` … `sunday` or 1–7."""
    value = str(current_app.config["DIGEST_DAY"]).strip().lower()
    number = whole_number(value, digits=1)
    if number is not None and 1 <= number <= 7:
        return number
    if value in DAY_NAMES:
        return DAY_NAMES.index(value) + 1
    raise ValueError(f"DIGEST_DAY must be a weekday name or 1–7, not {value!r}")


def digest_time() -> time:
    return time.fromisoformat(str(current_app.config["DIGEST_TIME"]).strip())


def digest_due_at(week: IsoWeek) -> datetime:
    """When `week`'s digests are due, in UTC (DIGEST_DAY at DIGEST_TIME, local)."""
    return local_instant(week.day(digest_weekday()), digest_time())
