"""The input rules, in one place: forms (app/forms.py) and the JSON API call these.

Every rule takes a value as it arrives and returns it normalised, or raises InputRejected
whose message names the real problem. Blank text is None. Relative ranges take today from
app.clock.local_today(), so tests move them with an injected clock.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from stdnum import luhn

from app import clock


class InputRejected(ValueError):
    """A value that breaks an input rule; `.message` is the (lazy) translated reason."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# --- text --------------------------------------------------------------------------------

_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def forbidden_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of `text` that no stored text may hold, else None: C0/C1
    control characters except tab (and newline in multi-line text), lone surrogates and
    bidirectional controls (a right-to-left override makes "exe.txt" of "txt.exe")."""
    for char in text:
        code = ord(char)
        if char == "\t" or (multiline and char == "\n"):
            continue
        if (code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF
                or char in _BIDI_CONTROLS):
            return char
    return None


def strip_forbidden(text: str, *, multiline: bool = False) -> str:
    """`text` without the characters forbidden_character() finds (CR/CRLF become LF, in
    single-line text a line break becomes a space): the mechanical fix of old rows."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = re.sub(r"\n+", " ", text)
    return "".join(char for char in text if forbidden_character(char, multiline=multiline) is None)


def clean_text(value: str | None, *, multiline: bool = False,
               max_length: int | None = None) -> str | None:
    """Text normalised (Unicode NFC, CRLF/CR → LF, trimmed); blank is None. Control
    characters (other than tab, and newline when `multiline`), NUL, lone surrogates and
    bidirectional controls are refused; `max_length` counts the normalised text."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    char = forbidden_character(text, multiline=multiline)
    if char is not None:
        if char == "\n":
            raise InputRejected(_l("A line break is not allowed here."))
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise InputRejected(_l("Contains a broken character (a lone surrogate)."))
        if char in _BIDI_CONTROLS:
            raise InputRejected(_l("Contains an invisible text direction character (U+%(code)04X), "
                                   "which is not allowed.", code=ord(char)))
        raise InputRejected(_l("Contains a control character (U+%(code)04X), which is not allowed; "
                               "text pasted from a word processor often brings one.",
                               code=ord(char)))
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return None
    if max_length is not None and len(text) > max_length:
        raise InputRejected(_l("At most %(max)d characters.", max=max_length))
    return text


# --- e-mail, phone, organisation number --------------------------------------------------

def clean_email(value: str | None) -> str | None:
    """An e-mail address checked by email-validator (syntax only, no DNS) and normalised
    (the domain in lower case and IDNA-decoded); blank is None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise InputRejected(_l("This is not a valid e-mail address (such as name@example.se).")) from None
    except (UnicodeError, ValueError):  # a broken IDNA label
        raise InputRejected(_l("This is not a valid e-mail address (such as name@example.se).")) from None


def clean_phone(value: str | None) -> str | None:
    """A phone number (Swedish unless it starts with +) that phonenumbers finds valid,
    in international format such as "+46 19 12 34 56"; blank is None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        raise InputRejected(
            _l("This is not a phone number (such as 019-12 34 56 or +46 19 12 34 56).")) from None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise InputRejected(_l("This phone number does not exist: check the number of digits "
                               "and the area code."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_ORGNR_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.]")


def normalise_orgnr_digits(raw: str) -> str:
    """`NNNNNN-NNNN` for a valid legal entity's organisation number, else InputRejected.
    Full-width digits, spaces, hyphens, dashes and dots are accepted; a 12-digit form
    with the century prefix 16 is shortened.

    python-stdnum's se.orgnr also accepts personal identity numbers (sole traders); we
    do not store those, so digits 3–4 must be at least 20.
    """
    text = _ORGNR_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))
    if not (text.isascii() and text.isdigit()):
        raise InputRejected(_l("An organisation number has only digits and a hyphen."))
    if len(text) == 12 and text.startswith("16"):
        text = text[2:]
    if len(text) != 10:
        raise InputRejected(_l("An organisation number has 10 digits (NNNNNN-NNNN), this has %(n)d.",
                               n=len(text)))
    if not luhn.is_valid(text):
        raise InputRejected(_l("The check digit (the last digit) is wrong."))
    if int(text[2:4]) < 20:
        raise InputRejected(_l("This is a personal identity number, not a legal entity: "
                               "digits 3–4 must be at least 20."))
    return f"{text[:6]}-{text[6:]}"


def clean_orgnr(value: str | None) -> str | None:
    """An organisation number normalised to `NNNNNN-NNNN` before any length check
    (`16556012-5790`, ` 556012.5790 `, full-width digits); blank is None."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if forbidden_character(text, multiline=True) is not None:
        clean_text(text, multiline=True)  # raises with the message naming the character
    if not unicodedata.normalize("NFKC", value).strip():
        return None
    return normalise_orgnr_digits(text)


# --- dates -------------------------------------------------------------------------------

# kind -> (lower, upper); each bound a fixed date or (unit, amount) relative to today.
_DATE_SPECS: dict[str, tuple[date | tuple[str, int], date | tuple[str, int]]] = {
    "received": (date(1990, 1, 1), ("days", 1)),
    "desired_start": (("years", -1), ("years", 20)),
    "follow_up": (("years", -10), ("years", 10)),
    "activity": (("years", -10), ("days", 1)),
    "available_from": (date(1990, 1, 1), ("years", 30)),
    "decided_on": (date(1990, 1, 1), ("days", 1)),
    "basis_on": (date(1990, 1, 1), ("days", 0)),
    "plan_in_force": (date(1900, 1, 1), ("days", 0)),
    "reservation": (("years", -10), ("years", 10)),
}


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def _bound(spec: date | tuple[str, int]) -> Callable[[date], date]:
    if isinstance(spec, date):
        return lambda today: spec
    unit, amount = spec
    if unit == "days":
        return lambda today: today + timedelta(days=amount)
    return lambda today: _add_years(today, amount)


DATE_RANGES: dict[str, tuple[Callable[[date], date], Callable[[date], date]]] = {
    kind: (_bound(lower), _bound(upper)) for kind, (lower, upper) in _DATE_SPECS.items()}


def _describe_bound(spec: date | tuple[str, int]) -> str:
    if isinstance(spec, date):
        return spec.isoformat()
    unit, amount = spec
    if amount == 0:
        return "today"
    word = unit[:-1] if abs(amount) == 1 else unit
    return f"today {'+' if amount > 0 else '-'} {abs(amount)} {word}"


def describe_range(kind: str) -> str:
    """The plausible range of a kind of date in English, for the OpenAPI descriptions,
    e.g. "from 1990-01-01 to today + 1 day"."""
    lower, upper = _DATE_SPECS[kind]
    return f"from {_describe_bound(lower)} to {_describe_bound(upper)}"


def date_bounds(kind: str, today: date | None = None) -> tuple[date, date]:
    """The first and last plausible date of a kind, today."""
    today = today or clock.local_today()
    lower, upper = DATE_RANGES[kind]
    return lower(today), upper(today)


def check_date(value: date | None, kind: str) -> date | None:
    """The date if it lies in the plausible range of its kind (DATE_RANGES), else
    InputRejected naming the range."""
    if value is None:
        return None
    start, end = date_bounds(kind)
    if not start <= value <= end:
        raise InputRejected(_l("%(date)s is outside the plausible range: from %(start)s to %(end)s.",
                               date=value.isoformat(), start=start.isoformat(),
                               end=end.isoformat()))
    return value


def local_date(value: datetime) -> date | None:
    """The date of a datetime in the application's time zone (a naive one is local
    already); None when the conversion overflows (year 1 or 9999)."""
    if value.tzinfo is None:
        return value.date()
    try:
        return value.astimezone(clock.local_zone()).date()
    except (OverflowError, ValueError):
        return None


def check_datetime(value: datetime | None, kind: str) -> datetime | None:
    """The datetime if its local date lies in the plausible range of its kind."""
    if value is None:
        return None
    day = local_date(value)
    if day is None:
        start, end = date_bounds(kind)
        raise InputRejected(_l("%(date)s is outside the plausible range: from %(start)s to %(end)s.",
                               date=value.date().isoformat(), start=start.isoformat(),
                               end=end.isoformat()))
    check_date(day, kind)
    return value


# --- numbers -----------------------------------------------------------------------------

NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "area_m2": (0, 100_000_000),
    "km": (0, 1_000),
    "power_mw": (0, 10_000),
    "jobs": (0, 1_000_000),
    "investment_msek": (0, 10_000_000),
    "price_sek_m2": (0, 1_000_000),
    "months": (0, 240),
    "weight": (0, 10),
    "fee_sek": (0, 1_000_000_000),
    "pack_days": (1, 365),
    "retention_years": (1, 50),
}

_UNITS = {
    "area_m2": "m²",
    "km": "km",
    "power_mw": "MW",
    "jobs": "",
    "investment_msek": "MSEK",
    "price_sek_m2": "SEK/m²",
    "months": "months",
    "weight": "",
    "fee_sek": "SEK",
    "pack_days": "days",
    "retention_years": "",
}

Number = TypeVar("Number", int, float)


def format_number(value: float) -> str:
    """10000 as "10 000" (Swedish grouping, which English readers read too)."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return text.replace(",", " ")


# What a person types for a number, once spaces are plain: digits grouped by threes with
# spaces or not at all, then a decimal comma or point. "1.234.567" and "1,234,567" are
# thousands written another way; "12.000" alone could be twelve or twelve thousand.
_TYPED_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_TYPED_NUMBER = re.compile(r"(?P<sign>[-−]?)(?P<whole>\d{1,3}(?: \d{3})+|\d+)"
                           r"(?:[.,](?P<fraction>\d+))?")
_FOREIGN_GROUPING = re.compile(r"[-−]?\d{1,3}(?:[.,]\d{3}){2,}(?:[.,]\d+)?")


def parse_typed_number(text: str | None, *, whole: bool = False) -> int | float | None:
    """A number as a person types it in a form or a query string: "50 000", "50000",
    "5,5" and "5.5" (None for blank). One clear message for anything else: words,
    "12.000" (twelve, or twelve thousand?), a fraction where a whole number is asked for.
    The JSON API does not use this: it takes JSON numbers."""
    typed = " ".join((text or "").translate(_TYPED_SPACES).split())
    if not typed:
        return None
    match = _TYPED_NUMBER.fullmatch(typed)
    if match is None:
        if _FOREIGN_GROUPING.fullmatch(typed):
            raise InputRejected(_l("Write thousands with a space, e.g. 1 234 567."))
        if whole:
            raise InputRejected(_l("“%(text)s” is not a whole number: write digits, e.g. "
                                   "50 000.", text=typed[:40]))
        raise InputRejected(_l("“%(text)s” is not a number: write digits, e.g. 50 000 or 5,5.",
                               text=typed[:40]))
    digits, fraction = match["whole"].replace(" ", ""), match["fraction"]
    if (fraction is not None and len(fraction) == 3 and " " not in match["whole"]
            and len(digits) <= 3 and digits != "0"):
        raise InputRejected(_l("“%(text)s” can be read two ways: write %(thousands)s for "
                               "thousands, or %(decimal)s for a decimal number.", text=typed,
                               thousands=format_number(int(digits + fraction)),
                               decimal=f"{digits},{fraction.rstrip('0') or '0'}"))
    sign = -1 if match["sign"] else 1
    if fraction is None or (whole and not fraction.strip("0")):
        return sign * int(digits)
    if whole:
        raise InputRejected(_l("Write a whole number."))
    return sign * float(f"{digits}.{fraction}")


def describe_number_range(kind: str) -> str:
    """The range of a kind of number in English, for the OpenAPI descriptions."""
    low, high = NUMBER_RANGES[kind]
    unit = f" {_UNITS[kind]}" if _UNITS[kind] else ""
    return f"from {format_number(low)} to {format_number(high)}{unit}"


def check_number(value: Number | None, kind: str) -> Number | None:
    """The number if finite and within NUMBER_RANGES[kind]; the message names the real
    problem (below zero, too big, not a number)."""
    if value is None:
        return None
    low, high = NUMBER_RANGES[kind]
    if isinstance(value, float) and not math.isfinite(value):
        raise InputRejected(_l("Must be a finite number."))
    if value < low:
        if low == 0:
            raise InputRejected(_l("Must not be below zero."))
        raise InputRejected(_l("At least %(limit)s.", limit=format_number(low)))
    if value > high:
        unit = _UNITS[kind]
        raise InputRejected(_l("At most %(limit)s %(unit)s.", limit=format_number(high), unit=unit)
                            if unit else _l("At most %(limit)s.", limit=format_number(high)))
    return value


# --- ids -----------------------------------------------------------------------------------

MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer column exist nowhere


def is_id(value: Any) -> bool:
    """Whether `value` can be a row's id (an int, not a bool, within a 32-bit column)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def whole_number(text: str | None, digits: int = 9) -> int | None:
    """`text` as a whole number if it is 1 to `digits` ASCII digits, else None. Unlike
    str.isdigit() alone, "²" or "٣" (digits to Unicode, not to int()) are refused."""
    if text and len(text) <= digits and text.isascii() and text.isdigit():
        return int(text)
    return None


# --- field errors --------------------------------------------------------------------------


class FieldErrors(Exception):
    """A service's refusal of values: {field: [message, …]}; nothing was stored. Pages
    show the messages at their fields, the API answers 422 with them in `fields`."""

    def __init__(self, fields: dict[str, list]) -> None:
        super().__init__("invalid input")
        self.fields = fields
