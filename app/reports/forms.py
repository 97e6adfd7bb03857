"""The reports' filter (a GET form): period (year, quarter or custom dates), owning
municipality, sector and source, read from the query string into a `ReportFilter`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.models import Municipality
from app.extensions import db
from app.leads.models import Source
from app.reports.counted import LeadSelection
from app.reports.periods import MAX_DAYS, Period

PERIOD_KINDS = {"year": _l("Year"), "quarter": _l("Quarter"), "custom": _l("Custom dates")}


@dataclass
class ReportFilter:
    kind: str
    year: int
    quarter: int
    start: date | None
    end: date | None
    municipality: str
    sector: str
    source: str
    period: Period
    selection: LeadSelection
    errors: list[Any] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        """The filter as query-string values (for the download links)."""
        values = {"period": self.kind, "year": str(self.year)}
        if self.kind == "quarter":
            values["quarter"] = str(self.quarter)
        if self.kind == "custom":
            values |= {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        for name in ("municipality", "sector", "source"):
            if getattr(self, name):
                values[name] = getattr(self, name)
        return values


def _int(text: str | None, low: int, high: int) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if low <= value <= high else None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def municipality_id(slug: str) -> int | None:
    return db.session.scalar(sa.select(Municipality.id).where(Municipality.slug == slug))


def read_filter(args: Any, today: date) -> ReportFilter:
    """The filter from the query string; a value that does not parse is left out, with a
    message (the report then shows the default: this year, everything)."""
    errors: list[Any] = []
    kind = args.get("period") or "year"
    if kind not in PERIOD_KINDS:
        kind = "year"
    year = _int(args.get("year"), 2000, 2100)
    if args.get("year") and year is None:
        errors.append(_l("The year is not valid; this year is shown."))
    year = year or today.year
    quarter = _int(args.get("quarter"), 1, 4) or (today.month - 1) // 3 + 1
    start, end = _date(args.get("from")), _date(args.get("to"))
    period = Period.year(year)
    if kind == "quarter":
        period = Period.quarter(year, quarter)
    elif kind == "custom":
        if start and end and start <= end and (end - start).days <= MAX_DAYS:
            period = Period(start, end)
        else:
            errors.append(_l("Give a start and an end date, the start first, at most ten "
                             "years apart; the year is shown."))
            kind = "year"
    slug = args.get("municipality") or ""
    ident = municipality_id(slug) if slug else None
    if slug and ident is None:
        slug = ""
    source = args.get("source") or ""
    if source not in Source._value2member_map_:
        source = ""
    sector = (args.get("sector") or "").strip()[:120]
    selection = LeadSelection(ident, sector or None, Source(source) if source else None)
    return ReportFilter(kind, year, quarter, start, end, slug, sector, source, period,
                        selection, errors)


def municipality_choices() -> list[tuple[str, str]]:
    return list(db.session.execute(
        sa.select(Municipality.slug, Municipality.name).order_by(Municipality.name)))
