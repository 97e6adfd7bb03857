"""The one cleaning function every exported cell (CSV and XLSX) goes through."""

from __future__ import annotations

import re
from typing import Any

# C0 control characters other than tab, line feed and carriage return: XML 1.0 cannot hold
# them, so openpyxl refuses them (its ILLEGAL_CHARACTERS_RE is this same set) and one such
# character, e.g. a vertical tab pasted from Word, would break the whole workbook.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Text starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet cell: text without control characters and with a leading
    apostrophe where a spreadsheet would run it as a formula; anything else as it is (the
    csv module writes None as an empty field, openpyxl as an empty cell)."""
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value
