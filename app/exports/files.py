"""What every export file shares: its name in the user's language with the date
("arenden-2026-12-01.xlsx"), and the CSV dialect: semicolons and decimal commas for
Swedish Excel by default, commas and decimal points with `?format=csv-comma`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.clock import local_today


def file_name(stem: Any, extension: str, day: date | None = None) -> str:
    """`stem` (a translated word) made safe for every file system, with the date."""
    folded = unicodedata.normalize("NFKD", str(stem).lower())
    ascii_stem = "".join(c for c in folded if c.isascii() and (c.isalnum() or c == "-"))
    return f"{ascii_stem or 'export'}-{(day or local_today()).isoformat()}.{extension}"


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str

    @classmethod
    def named(cls, name: str | None) -> CsvDialect:
        """`csv-comma`: commas and decimal points; anything else: Swedish Excel's."""
        return cls(",", ".") if name == "csv-comma" else cls(";", ",")

    def cell(self, value: Any) -> Any:
        """A value as CSV text: numbers with the dialect's decimal sign, dates in ISO 8601
        (every spreadsheet reads them as dates)."""
        if isinstance(value, bool):
            return value
        if isinstance(value, float):
            text = f"{value:.6f}".rstrip("0").rstrip(".")
            return text.replace(".", self.decimal)
        if isinstance(value, datetime | date):
            return value.isoformat()
        return value
