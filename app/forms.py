"""Helpers shared by every feature's forms."""

from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import widgets
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


def _option(value: Any, label: Any, selected: bool) -> str:
    """An <option> tag with value and label escaped; a plain str, for joining."""
    return (f'<option {"selected " if selected else ""}value="{escape(value)}">'
            f"{escape(label)}</option>")  # attributes in WTForms' (sorted) order


def option_tags(choices: Any, selected: Any = None) -> Markup:
    """The <option> tags of (value, label) pairs, values and labels escaped, for selects
    outside WTForms forms (filters with hundreds of users, one select per kanban card)."""
    tags = "".join(_option(value, label, value == selected) for value, label in choices)
    return Markup(tags)  # noqa: S704 - each value and label went through escape()


class QuickSelect(widgets.Select):
    """wtforms' Select with a short path for plain options: one escape per value and
    label instead of html_params, for selects of a few hundred users on busy pages."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        return Markup(_option(value, choice.label or choice.value, choice.selected))  # noqa: S704


class SelectField(wtforms.SelectField):
    widget = QuickSelect()


class SelectMultipleField(wtforms.SelectMultipleField):
    widget = QuickSelect(multiple=True)
