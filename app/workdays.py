"""Swedish working days: the rule behind "answered within 2 working days".

A working day is a weekday that is neither a Swedish public holiday nor one of the
de facto days off (midsommarafton, julafton, nyårsafton), as the `holidays` package
lists them; no hand-made list. Days are local (the application's time zone).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from app.clock import local_zone

ANSWER_WORKING_DAYS = 2
_CATEGORIES = ("public", "de_facto")


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("SE", years=year, categories=_CATEGORIES)
    return frozenset(calendar)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def working_days_later(moment: datetime, days: int) -> datetime:
    """The aware moment `days` working days after `moment`, at the same local time of day.
    A moment on a day off counts from the start of the next working day, so an inquiry sent
    on Saturday is due by the end of Tuesday's equivalent: Wednesday 00:00."""
    local = moment.astimezone(local_zone())
    day = local.date()
    if not is_working_day(day):
        while not is_working_day(day):
            day += timedelta(days=1)
        local = datetime.combine(day, time.min, tzinfo=local.tzinfo)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=local.tzinfo)


def answered_in_time(received_at: datetime, answered_at: datetime | None,
                     days: int = ANSWER_WORKING_DAYS) -> bool:
    """Whether an answer came within `days` working days of the inquiry."""
    return answered_at is not None and answered_at <= working_days_later(received_at, days)
