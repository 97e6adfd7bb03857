"""A figure's table as a download: CSV (the export dialect of app.exports.files) or XLSX
with typed cells (numbers as numbers), every cell through app.exports.cells.safe_cell."""

from __future__ import annotations

import csv
import io
import re

from app.exports.cells import safe_cell
from app.exports.files import CsvDialect
from app.reports.tables import Table


def to_csv(table: Table, dialect: CsvDialect) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter)
    writer.writerow([column.header() for column in table.columns])
    for row in table.plain_rows():
        writer.writerow([safe_cell(dialect.cell(value)) for value in row])
    return "\ufeff" + buffer.getvalue()


def sheet_title(title: str) -> str:
    """`title` as a sheet's name: without the characters Excel refuses, at most 31 long."""
    return re.sub(r"[\\/*?:\[\]]", " ", title)[:31].strip() or "Etablera"


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook  # imported when used: it slows every worker's start

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(str(table.title)))
    sheet.append([column.header() for column in table.columns])
    for row in table.plain_rows():
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
