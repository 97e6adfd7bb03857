"""The period a report covers: a year, a quarter or custom dates (local dates, both
inclusive), and the same period as UTC instants for the columns that hold a moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.clock import local_zone

MAX_DAYS = 366 * 10  # a custom period of at most ten years


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = date(year, 3 * quarter - 2, 1)
        after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return cls(first, after - timedelta(days=1))

    @property
    def utc_start(self) -> datetime:
        """The first instant of the period (local midnight of its first day), in UTC."""
        return local_midnight(self.start)

    @property
    def utc_end(self) -> datetime:
        """The first instant after the period, in UTC (compare with `<`)."""
        return local_midnight(self.end + timedelta(days=1))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        found, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def local_midnight(day: date) -> datetime:
    """00:00 of `day` in the application's time zone, as an aware UTC datetime."""
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(UTC)


def local_date_of_utc_hour(text: str) -> date:
    """The local date of an hour given as UTC text "YYYY-MM-DD HH" (sqltime.utc_hour):
    Europe/Stockholm changes its offset on whole UTC hours, so the hour decides the date."""
    return local_date(datetime.fromisoformat(text[:13]).replace(tzinfo=UTC))


def local_date(moment: datetime) -> date:
    """The local date of an aware moment."""
    return moment.astimezone(local_zone()).date()
