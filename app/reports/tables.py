"""A figure's table: its columns with their units, its rows, and which column its chart
shows. Every figure of the reports is one; the page, the annual follow-up, the chart and
the CSV/XLSX download all read the same table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.i18n import Figures

PERCENT = "percent"  # a share, 0–100, shown with one decimal and "%"


@dataclass(frozen=True)
class Column:
    label: Any  # a lazy string
    unit: str | None = None  # None: text; "": a plain number; else a unit of app.i18n.Figures

    @property
    def numeric(self) -> bool:
        return self.unit is not None

    def header(self) -> str:
        """The label with its unit, for the table head and a download's header row."""
        if self.unit in (None, ""):
            return str(self.label)
        unit = "%" if self.unit == PERCENT else Figures.current().units[self.unit]
        return f"{self.label} ({unit})"

    def shown(self, value: Any) -> str:
        """A cell as the page shows it: numbers in the reader's language."""
        if value is None:
            return "–" if self.numeric else ""
        if self.unit is None:
            return str(value)
        figures = Figures.current()
        if self.unit == PERCENT:
            return figures.number(value, "ha")  # one decimal
        return figures.number(value, self.unit)


@dataclass
class Table:
    key: str  # the download's name: letters, digits and "_"
    title: Any
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    chart_column: int | None = 1  # the bar chart shows this column by each row's first cell
    note: Any = None  # how the figure is counted, shown under the title

    def cell_text(self, row: tuple[Any, ...]) -> list[str]:
        return [column.shown(value) for column, value in zip(self.columns, row, strict=True)]

    def plain_rows(self) -> list[list[Any]]:
        """The rows for a download: text as text, numbers as numbers."""
        return [[str(value) if column.unit is None and value is not None else value
                 for column, value in zip(self.columns, row, strict=True)] for row in self.rows]

    @property
    def empty(self) -> bool:
        return not self.rows


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, one decimal; None when `whole` is 0."""
    return round(100 * part / whole, 1) if whole else None
