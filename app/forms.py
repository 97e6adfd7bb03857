"""Helpers shared by every feature's forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length


def column_length(column: Any) -> int:
    """The declared length of a mapped String column (`Model.attr`)."""
    return column.property.columns[0].type.length


def max_length(column: Any) -> Length:
    """A Length validator taken from the column, so over-long input is a field error on
    SQLite (which ignores VARCHAR lengths) and PostgreSQL alike."""
    limit = column_length(column)
    return Length(max=limit, message=_l("At most %(max)d characters.", max=limit))


def municipality_choices(municipalities) -> list[tuple[str, str]]:
    return [(m.slug, m.name) for m in municipalities]
