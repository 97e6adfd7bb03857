"""The input rules of app/input_rules.py, one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from app import input_rules
from app.input_rules import (
    DATE_RANGES,
    NUMBER_RANGES,
    InputRejected,
    check_date,
    check_datetime,
    check_number,
    clean_email,
    clean_orgnr,
    clean_phone,
    clean_text,
    describe_range,
)

TODAY = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


# --- text ---------------------------------------------------------------------------------

def test_text_is_normalised_and_trimmed():
    assert clean_text("  Cafe\u0301  ") == "Café"
    assert clean_text("a\r\nb\rc", multiline=True) == "a\nb\nc"
    assert clean_text("   ") is None
    assert clean_text("") is None
    assert clean_text(None) is None
    assert clean_text("a\tb") == "a\tb"


@pytest.mark.parametrize("bad", ["Projekt\x0bVT", "a\x0cb", "a\x1bb", "a\x00b", "a\x7fb",
                                 "a\x85b", "a\x9fb", "a\ud800b", "exe\u202etxt", "a\u2066b",
                                 "a\u200fb"])
def test_control_surrogate_and_bidi_characters_are_refused(app, bad):
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        clean_text(bad, multiline=True)
    assert str(caught.value.message)


def test_line_breaks_only_in_multiline_text(app):
    assert clean_text("a\nb", multiline=True) == "a\nb"
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        clean_text("a\nb")
    assert "Radbrytning" in str(caught.value.message)


def test_control_character_message_names_the_character_in_swedish(app):
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        clean_text("Projekt\x0bVT")
    assert "styrtecken (U+000B)" in str(caught.value)


def test_max_length_counts_the_normalised_text(app):
    assert clean_text("  abc  ", max_length=3) == "abc"
    assert clean_text("e\u0301" * 3, max_length=3) == "é" * 3  # NFC first
    with app.test_request_context(), pytest.raises(InputRejected):
        clean_text("abcd", max_length=3)


# --- e-mail, phone, organisation number --------------------------------------------------------

def test_email_is_validated_and_normalised(app):
    assert clean_email(" anna@Example.SE ") == "anna@example.se"
    assert clean_email("") is None
    for bad in ["not-an-email", "a@b", "@example.se", "a b@example.se", "💥💥"]:
        with app.test_request_context(), pytest.raises(InputRejected) as caught:
            clean_email(bad)
        assert "e-postadress" in str(caught.value)


def test_phone_is_validated_and_formatted(app):
    assert clean_phone("019-12 34 56") == "+46 19 12 34 56"
    assert clean_phone("070-123 45 67") == "+46 70 123 45 67"
    assert clean_phone("+47 22 12 34 56") == "+47 22 12 34 56"
    assert clean_phone(" ") is None
    for bad in ["💥💥", "12", "abc", "+46 0000000000000"]:
        with app.test_request_context(), pytest.raises(InputRejected):
            clean_phone(bad)


@pytest.mark.parametrize("raw", ["556012-5790", "16556012-5790", "165560125790", " 556012-5790 ",
                                 "556012.5790", "556012–5790", "５５６０１２－５７９０",
                                 "556012 5790"])
def test_organisation_numbers_are_normalised_before_any_length_check(raw):
    assert clean_orgnr(raw) == "556012-5790"


@pytest.mark.parametrize(("raw", "problem"), [
    ("556012-579", "10 siffror"), ("556012-5791", "Kontrollsiffran"),
    ("55601A-5790", "bara av siffror"), ("556012\x0b5790", "styrtecken"),
])
def test_invalid_organisation_numbers_name_the_problem(app, raw, problem):
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        clean_orgnr(raw)
    assert problem in str(caught.value)


def test_blank_organisation_number_is_none():
    assert clean_orgnr("  ") is None
    assert clean_orgnr(None) is None


# --- dates ----------------------------------------------------------------------------------------

def test_date_ranges_follow_today(today):
    assert set(DATE_RANGES) == {"received", "desired_start", "follow_up", "activity",
                                "available_from", "decided_on", "basis_on", "plan_in_force",
                                "reservation"}
    assert DATE_RANGES["plan_in_force"][1](today) == today  # a plan gains legal force, past
    lower, upper = DATE_RANGES["received"]
    assert lower(today) == date(1990, 1, 1) and upper(today) == date(2026, 6, 16)
    lower, upper = DATE_RANGES["follow_up"]
    assert lower(today) == date(2016, 6, 15) and upper(today) == date(2036, 6, 15)
    assert DATE_RANGES["desired_start"][0](today) == date(2025, 6, 15)
    assert DATE_RANGES["basis_on"][1](today) == today
    assert DATE_RANGES["follow_up"][1](date(2024, 2, 29)) == date(2034, 2, 28)


@pytest.mark.parametrize(("kind", "good", "bad"), [
    ("received", date(1990, 1, 1), date(1989, 12, 31)),
    ("received", date(2026, 6, 16), date(2026, 6, 17)),
    ("desired_start", date(2046, 6, 15), date(9999, 12, 31)),
    ("follow_up", date(2016, 6, 15), date(1, 1, 1)),
    ("activity", date(2026, 6, 16), date(2026, 6, 17)),
    ("available_from", date(2056, 6, 15), date(2056, 6, 16)),
    ("decided_on", date(2026, 6, 16), date(1989, 1, 1)),
    ("basis_on", date(2026, 6, 15), date(2026, 6, 16)),
])
def test_check_date(app, today, kind, good, bad):
    assert check_date(good, kind) == good
    assert check_date(None, kind) is None
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        check_date(bad, kind)
    assert "utanför det rimliga intervallet" in str(caught.value)


def test_check_datetime_uses_the_local_date(app, today):
    with app.app_context():
        naive = datetime(2026, 6, 16, 23, 59)  # noqa: DTZ001 - a form's local time
        assert check_datetime(naive, "activity") == naive
        # 22:30 UTC on the 16th is 00:30 on the 17th in Stockholm: too late for an activity
        with app.test_request_context(), pytest.raises(InputRejected):
            check_datetime(datetime(2026, 6, 16, 22, 30, tzinfo=UTC), "activity")
        for extreme in [datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59),  # noqa: DTZ001
                        datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)]:
            with app.test_request_context(), pytest.raises(InputRejected):
                check_datetime(extreme, "follow_up")


def test_describe_range():
    assert describe_range("received") == "from 1990-01-01 to today + 1 day"
    assert describe_range("follow_up") == "from today - 10 years to today + 10 years"
    assert describe_range("basis_on") == "from 1990-01-01 to today"
    assert describe_range("desired_start") == "from today - 1 year to today + 20 years"


# --- numbers -------------------------------------------------------------------------------------

def test_number_ranges():
    assert NUMBER_RANGES["power_mw"] == (0, 10_000)
    assert NUMBER_RANGES["area_m2"] == (0, 100_000_000)


def test_check_number_names_the_real_problem(app):
    assert check_number(0, "power_mw") == 0
    assert check_number(10_000.0, "power_mw") == 10_000.0
    assert check_number(None, "km") is None
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        check_number(1e6, "power_mw")
    assert str(caught.value) == "Högst 10 000 MW."
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        check_number(-1, "power_mw")
    assert str(caught.value) == "Får inte vara under noll."
    for bad in [float("nan"), float("inf")]:
        with app.test_request_context(), pytest.raises(InputRejected) as caught:
            check_number(bad, "km")
        assert "ändligt" in str(caught.value)
    with app.test_request_context(), pytest.raises(InputRejected) as caught:
        check_number(2_000_000, "jobs")
    assert str(caught.value) == "Högst 1 000 000."


def test_number_range_is_described_in_english():
    assert input_rules.describe_number_range("power_mw") == "from 0 to 10 000 MW"


def test_week_old_today_moves_the_ranges(app):
    with time_machine.travel(TODAY + timedelta(days=7), tick=False):
        assert check_date(date(2026, 6, 23), "received") == date(2026, 6, 23)
