"""Swedish first, English available: locale choice, dates and figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from babel import Locale
from babel import dates as babel_dates
from flask import current_app, g, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.clock import local_zone
from app.extensions import babel


def select_locale() -> str:
    """The user's setting, else `?lang=` (public pages), else the browser's preference,
    else Swedish."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # The API ignores session cookies: only its bearer-token user counts there.
    user = g.get("api_user") if request.path.startswith("/api/") else current_user
    if user is not None and user.is_authenticated and user.locale in languages:
        return user.locale
    # The public pages (app/intake) carry the visitor's choice of language in `?lang=`.
    if request.args.get("lang") in languages:
        return request.args["lang"]
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def local_datetime(value: datetime | None, style: str = "short") -> str:
    """An aware UTC datetime shown in the configured zone (Europe/Stockholm)."""
    if value is None:
        return ""
    return format_datetime(value, format=style)


def from_local(value: datetime | None) -> datetime | None:
    """A naive wall-clock time as typed (a form's datetime-local, an API value without an
    offset) made aware in the configured zone (Europe/Stockholm)."""
    if value is None:
        return None
    return value.replace(tzinfo=local_zone())


def local_date(value: date | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(value, format=style)


def local_dates(values: Iterable[date | None],
                style: Literal["full", "long", "medium", "short"] = "medium") -> dict[date, str]:
    """`local_date` of each distinct date, for long lists: the locale and its pattern looked
    up once for all, each date formatted once (a kanban has 400 cards, ~150 dates)."""
    locale = get_locale()
    pattern = babel_dates.get_date_format(style, locale=locale)
    return {value: pattern.apply(value, locale) for value in set(values) if value is not None}


# --- figures: one way to write numbers with their units ------------------------------------

# How many decimals each unit shows: (at least, at most).
_DECIMALS = {"m2": (0, 0), "ha": (1, 1), "mw": (0, 1), "km": (1, 1), "km_whole": (0, 0),
             "mnkr": (0, 1),
             "kr": (0, 0), "kr_m2": (0, 0), "months": (0, 0), "": (0, 1)}
_UNIT_LABELS = {"m2": "m²", "ha": "ha", "mw": "MW", "km": "km", "km_whole": "km",
                "mnkr": _l("MSEK"),
                "kr": _l("SEK"), "kr_m2": _l("SEK/m²"), "months": _l("months"), "": ""}


@dataclass(frozen=True)
class Figures:
    """Numbers in the reader's language ("150 000 m²", "3,1 km", "5,5 MW", "310 mnkr"),
    the locale's symbols looked up once per request (Babel's format_decimal looks them up
    on every call: 20 µs, a site list shows 200 figures)."""

    separators: dict[int, str]  # str.translate table: "," and "." to the locale's symbols
    units: dict[str, str]

    @classmethod
    def current(cls) -> Figures:
        """For the current locale (kept on the request, per locale: force_locale may
        change it within one request)."""
        locale = get_locale() or Locale("sv")
        known = g.setdefault("figures", {}) if has_request_context() else {}
        if str(locale) not in known:
            symbols = locale.number_symbols["latn"]
            known[str(locale)] = cls(
                str.maketrans({",": symbols["group"], ".": symbols["decimal"]}),
                {unit: str(label) for unit, label in _UNIT_LABELS.items()})
        return known[str(locale)]

    def number(self, value: float | None, unit: str = "") -> str:
        """`value` grouped, with the decimals its unit shows (None: "")."""
        if value is None:
            return ""
        least, most = _DECIMALS[unit]
        text = f"{value:,.{most}f}"
        if most > least and "." in text:
            text = text.rstrip("0").rstrip(".") if least == 0 else text
        return text.translate(self.separators)

    def quantity(self, value: float | None, unit: str) -> str:
        """`value` with its unit: "150 000 m²"; "" for None."""
        if value is None:
            return ""
        return f"{self.number(value, unit)} {self.units[unit]}"


def quantity(value: float | None, unit: str = "") -> str:
    """The template filter `qty`: `{{ site.land_area_m2|qty("m2") }}`."""
    return Figures.current().quantity(value, unit) if unit else Figures.current().number(value)


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["localdt"] = local_datetime
    app.jinja_env.filters["localdate"] = local_date
    app.jinja_env.filters["qty"] = quantity
