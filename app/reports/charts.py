"""Server-rendered SVG bar charts of a figure's table: one bar per row, the row's text
cells as its label, the table's `chart_column` as its length. No script: the chart is
an image whose text alternative names every bar's value, and the table beside it holds
the same numbers."""

from __future__ import annotations

from markupsafe import Markup

from app.reports.tables import Table

WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW_HEIGHT = 640, 230, 70, 26
BAR_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10
LABEL_CHARACTERS = 34

_SVG = Markup('<svg class="report-chart" viewBox="0 0 {width} {height}" role="img" '
              'aria-label="{label}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
              '{bars}</svg>')
_BAR = Markup('<text x="{label_x}" y="{text_y}" text-anchor="end">{label}</text>'
              '<rect x="{bar_x}" y="{bar_y}" width="{bar_width}" height="{bar_height}" '
              'class="report-bar"></rect>'
              '<text x="{value_x}" y="{text_y}">{value}</text>')


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[:LABEL_CHARACTERS - 1] + "…"


def bar_chart(table: Table) -> Markup:
    """The table's chart ("" when it has none or no rows)."""
    index = table.chart_column
    if index is None or not table.rows:
        return Markup("")
    column = table.columns[index]
    bars = []
    for row in table.rows:
        text = " · ".join(str(value) for c, value in zip(table.columns, row, strict=True)
                          if not c.numeric and value not in (None, ""))
        bars.append((text, row[index] or 0, column.shown(row[index])))
    largest = max(value for _text, value, _shown in bars) or 1
    parts = []
    for number, (text, value, shown) in enumerate(bars):
        top = number * ROW_HEIGHT + 4
        parts.append(_BAR.format(
            label_x=LABEL_WIDTH - 8, text_y=top + 15, label=_short(text), bar_x=LABEL_WIDTH,
            bar_y=top + 3, bar_width=round(BAR_WIDTH * value / largest, 1),
            bar_height=ROW_HEIGHT - 8,
            value_x=LABEL_WIDTH + round(BAR_WIDTH * value / largest, 1) + 6, value=shown))
    described = "; ".join(f"{text}: {shown}" for text, _value, shown in bars)
    return _SVG.format(width=WIDTH, height=len(bars) * ROW_HEIGHT + 8,
                       label=f"{table.title} ({column.header()}). {described}",
                       bars=Markup("").join(parts))
