"""Working days with Swedish public holidays and de facto days off."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.workdays import answered_in_time, is_working_day, working_days_later

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


def test_weekdays_work_weekends_and_holidays_do_not():
    assert is_working_day(date(2026, 12, 4))  # Friday
    assert not is_working_day(date(2026, 12, 5))  # Saturday


def test_public_holidays_and_de_facto_days_off_are_not_working_days():
    for day in (date(2026, 1, 6), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 1),
                date(2026, 5, 14), date(2026, 6, 19), date(2026, 12, 24), date(2026, 12, 25),
                date(2026, 12, 31), date(2027, 1, 1)):
        assert not is_working_day(day), day
    # the eves that are half days stay working days
    assert is_working_day(date(2026, 4, 30))
    assert is_working_day(date(2026, 12, 23))


def test_two_working_days_skip_the_weekend():
    assert working_days_later(local(2026, 12, 4, 15, 0), 2) == local(2026, 12, 8, 15, 0)


def test_a_moment_on_a_day_off_counts_from_the_next_working_day():
    assert working_days_later(local(2026, 12, 5, 11, 0), 2) == local(2026, 12, 9, 0, 0)


def test_christmas_and_new_year():
    # Wed 23 Dec -> 24, 25, 26, 27 off -> Mon 28 (1), Tue 29 (2)
    assert working_days_later(local(2026, 12, 23, 9, 30), 2) == local(2026, 12, 29, 9, 30)
    # Tue 29 Dec -> Wed 30 (1), 31 off, 1 Jan off, 2-3 weekend -> Mon 4 Jan (2)
    assert working_days_later(local(2026, 12, 29, 10, 0), 2) == local(2027, 1, 4, 10, 0)


def test_midsummer():
    # Thu 18 June 2026 -> 19 midsommarafton, 20-21 -> Mon 22 (1), Tue 23 (2)
    assert working_days_later(local(2026, 6, 18, 8, 0), 2) == local(2026, 6, 23, 8, 0)


def test_utc_moments_are_counted_in_local_days():
    # 23:30 UTC on Friday is Saturday 00:30 in Stockholm: a day off
    moment = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert working_days_later(moment, 2) == local(2026, 12, 9, 0, 0)


def test_answered_in_time():
    received = local(2026, 12, 4, 15, 0)
    assert answered_in_time(received, local(2026, 12, 8, 15, 0))
    assert not answered_in_time(received, local(2026, 12, 8, 15, 1))
    assert not answered_in_time(received, None)
