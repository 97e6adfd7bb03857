"""Helpers shared by every feature's forms."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

import wtforms
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import widgets
from wtforms.validators import Length, StopValidation

from app import input_rules
from app.caching import ProcessCache
from app.form_messages import TRANSLATIONS


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


_OPTION = Markup('<option %svalue="%s">%s</option>')  # attributes in WTForms' (sorted) order
_SELECTED = Markup("selected ")


def option_tags(choices: Any, selected: Any = None) -> Markup:
    """The <option> tags of (value, label) pairs, values and labels escaped, for selects
    outside WTForms forms (filters with hundreds of users, one select per kanban card).
    Markup's % escapes as its format() does, at a quarter of the cost."""
    return Markup("").join(_OPTION % (_SELECTED if value == selected else "", value, label)
                           for value, label in choices)


def _plain_choices(choices: Any) -> bool:
    """Whether a select's choices are a list or tuple of (value, label) pairs, not a
    callable, a dict of option groups or SelectChoice objects."""
    return isinstance(choices, list | tuple) and all(
        type(choice) is tuple and len(choice) == 2 for choice in choices)


# The forms' one import of each field type (WTForms' own selects: a short path that wrote
# their options itself gained nothing measurable once pristine fields are kept, below).
SelectField = wtforms.SelectField
SelectMultipleField = wtforms.SelectMultipleField


class CheckboxesField(wtforms.SelectMultipleField):
    """Any number of a handful of choices (municipalities, candidate sites, colleagues):
    checkboxes in a fieldset, never a list box that needs Ctrl-click."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class NoIdHiddenInput(widgets.HiddenInput):
    """A hidden input without an id: nothing refers to one by id, and a page with several
    forms (or a form repeated per row) would repeat `csrf_token`, `submission_token`…"""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


_NO_ID_HIDDEN = NoIdHiddenInput()


class Form(FlaskForm):
    """The base of every form. Hidden inputs carry no id; a form that shares a page with
    others sets `id_prefix`, so its fields' ids (and labels' `for`) are unique on the page
    while their names, which the views read, stay as they are."""

    id_prefix: str | None = None

    class Meta:
        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages through our catalogue (app/form_messages.py)."""
            return TRANSLATIONS

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            extra: dict[str, Any] = {}
            if issubclass(unbound_field.field_class, wtforms.HiddenField):
                extra["widget"] = _NO_ID_HIDDEN
            if form.id_prefix:
                extra["id"] = f"{form.id_prefix}-{options.get('prefix', '')}{options['name']}"
            return unbound_field.bind(form=form, **options, **extra)


class HiddenInput(wtforms.HiddenField):
    """A hidden field, with an empty label: WTForms would otherwise translate a label made
    from the field's name, loading its message catalogue from disk for the request (Flask-
    WTF keeps it per request only), on every page that shows the form."""

    def __init__(self, label: str = "", validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)


def new_submission_token() -> str:
    """A random one-time token for a create form (app.submissions)."""
    return secrets.token_urlsafe(24)


class OneTimeForm:
    """Mixin of every form that creates something: a hidden one-time token, made when the
    form is rendered (`hidden_tag()` renders it, or `{{ form.submission_token }}` beside
    `form.csrf_token`), so a double click or a resubmit creates one object
    (app.submissions)."""

    submission_token = HiddenInput(default=new_submission_token)


# --- fields that apply the input rules (app/input_rules.py) -------------------------------

class RuleField:
    """A mixin: before the field's validators run, its data goes through `apply_rule`
    (normalised, or refused with the rule's message, which stops the field's validation).
    So a Length validator counts the normalised text, and nothing outside the rules
    reaches a form's data."""

    data: Any  # the field's value (WTForms' fields set it; declared for type checkers)

    def apply_rule(self, value: Any) -> Any:
        return value

    def pre_validate(self, form: Any) -> None:
        super().pre_validate(form)  # type: ignore[misc]
        try:
            self.data = self.apply_rule(self.data)
        except input_rules.InputRejected as error:
            raise StopValidation(str(error.message)) from None


def _text(value: Any, rule: Any) -> Any:
    """A rule applied to typed text; blank stays "" (what the forms' users expect)."""
    if not isinstance(value, str):
        return value
    cleaned = rule(value)
    return "" if cleaned is None else cleaned


class TextField(RuleField, wtforms.StringField):
    """One line of text: NFC, trimmed; control and bidirectional characters refused."""

    def apply_rule(self, value: Any) -> Any:
        return _text(value, input_rules.clean_text)


class TextAreaField(RuleField, wtforms.TextAreaField):
    """Multi-line text: as TextField, with line breaks (CRLF → LF) allowed."""

    def apply_rule(self, value: Any) -> Any:
        return _text(value, lambda text: input_rules.clean_text(text, multiline=True))


class EmailField(RuleField, wtforms.EmailField):
    """An e-mail address (email-validator, no DNS), normalised."""

    def apply_rule(self, value: Any) -> Any:
        return _text(value, input_rules.clean_email)


class PhoneField(RuleField, wtforms.TelField):
    """A phone number (Swedish unless +), stored in international format."""

    def apply_rule(self, value: Any) -> Any:
        return _text(value, input_rules.clean_phone)


class OrgnrField(RuleField, wtforms.StringField):
    """An organisation number, normalised to NNNNNN-NNNN before any length check. The
    input takes 20 characters, so a browser does not cut "16556036-0793" (the century
    prefix) to the column's 11 before the rule has read it."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("maxlength", 20)
        super().__init__(label, validators, **kwargs)

    def apply_rule(self, value: Any) -> Any:
        return _text(value, input_rules.clean_orgnr)


class DateField(RuleField, wtforms.DateField):
    """A date within the plausible range of its kind (input_rules.DATE_RANGES)."""

    def __init__(self, label: Any = None, validators: Any = None, *, kind: str,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.kind = kind

    def apply_rule(self, value: Any) -> Any:
        return input_rules.check_date(value, self.kind)


class DateTimeLocalField(RuleField, wtforms.DateTimeLocalField):
    """A local date and time whose date lies within the plausible range of its kind."""

    def __init__(self, label: Any = None, validators: Any = None, *, kind: str,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.kind = kind

    def apply_rule(self, value: Any) -> Any:
        return input_rules.check_datetime(value, self.kind)


class NumberRule(RuleField):
    """A number typed as people type it ("50 000", "5,5"; input_rules.parse_typed_number),
    in a text input (a number input turns "5,5" into 55 in some browsers), shown again
    grouped, with the locale's decimal sign; within the range of its kind."""

    kind: str
    whole: bool
    raw_data: list[Any] | None
    widget = widgets.TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.data = None
        try:
            self.data = input_rules.parse_typed_number(valuelist[0], whole=self.whole)
        except input_rules.InputRejected as rejected:
            raise ValueError(str(rejected)) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else typed_number(self.data)

    def apply_rule(self, value: Any) -> Any:
        return input_rules.check_number(value, self.kind)


def typed_number(value: float) -> str:
    """A number as an input shows it: grouped with plain spaces, the locale's decimal sign."""
    return format_decimal(value, format="#,##0.######").replace("\u00a0", " ").replace(
        "\u202f", " ")


class IntegerField(NumberRule, wtforms.IntegerField):
    """A whole number within the range of its kind (input_rules.NUMBER_RANGES)."""

    whole = True

    def __init__(self, label: Any = None, validators: Any = None, *, kind: str,
                 **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kwargs)
        self.kind = kind


class FloatField(NumberRule, wtforms.FloatField):
    """A finite number within the range of its kind (input_rules.NUMBER_RANGES)."""

    whole = False

    def __init__(self, label: Any = None, validators: Any = None, *, kind: str,
                 **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kwargs)
        self.kind = kind


# --- rendering a field (templates/_forms.html's `field` macro) -------------------------

# Pristine fields' HTML, by everything it depends on (`_field_key`).
_FIELDS = ProcessCache(size=512, trick="pristine_fields")
_SELECT_TYPES = ("SelectField", "SelectMultipleField")


def render_field(field, help: Any = None) -> Markup:
    """A form field as Bootstrap lays it out: label, control (WTForms' widget), help text
    and errors. A pristine field (nothing submitted or typed in it, no errors) is rendered
    once per process for everything its HTML depends on: a lead's page shows 14 fields,
    and WTForms spends ~50 µs on each."""
    key = _field_key(field, help)
    if key is None:
        return _field_html(field, help)
    return _FIELDS.get(key, lambda: _field_html(field, help))


_CHECKBOX = Markup('<div class="form-check mb-3">\n  {control}\n  {label}\n  {errors}\n</div>')
_FIELD = Markup('<div class="mb-3">\n  {label}\n  {control}\n  {help}\n  {errors}\n</div>')
_HELP = Markup('<div class="form-text" id="{}-help">{}</div>')
_ERROR = Markup('<div class="invalid-feedback d-block">{}</div>')


_CHECKBOXES = Markup('<fieldset class="mb-3" id="{id}"{described}>\n  <legend class="form-label fs-6'
                     ' mb-1">{legend}</legend>\n  {options}\n  {help}\n  {errors}\n</fieldset>')
_CHECKBOX_OPTION = Markup('<div class="form-check form-check-inline">{control} {label}</div>')


def _field_html(field, help: Any) -> Markup:
    invalid = " is-invalid" if field.errors else ""
    errors = Markup("").join(_ERROR.format(error) for error in field.errors)
    if field.type == "CheckboxesField":
        options = Markup("").join(
            # never `required` on each box: that would demand every one be ticked
            _CHECKBOX_OPTION.format(control=option(class_="form-check-input" + invalid,
                                                   required=False),
                           label=option.label(class_="form-check-label")) for option in field)
        return _CHECKBOXES.format(id=field.id, legend=field.label.text,
                                  described=Markup(' aria-describedby="{}-help"').format(
                                      field.id) if help else "",
                                  options=options,
                                  help=_HELP.format(field.id, help) if help else "",
                                  errors=errors)
    if field.type == "BooleanField":
        return _CHECKBOX.format(control=field(class_="form-check-input" + invalid),
                                label=field.label(class_="form-check-label"), errors=errors)
    css = "form-select" if field.type in _SELECT_TYPES else "form-control"
    described = {"aria-describedby": f"{field.id}-help"} if help else {}
    return _FIELD.format(label=field.label(class_="form-label"),
                         control=_with_placeholder(field, field(class_=css + invalid, **described)),
                         help=_HELP.format(field.id, help) if help else "", errors=errors)


_PLACEHOLDER_LABEL = _l("Choose…")
_PLACEHOLDER = Markup('<option value="">{}</option>')


def _with_placeholder(field, control: Markup) -> Markup:
    """A required single select starts with an empty option (HTML requires it, else
    `required` means nothing). A field without a value keeps its first real choice
    selected, as the browser chose it before, so no form changes its behaviour."""
    if field.type != "SelectField" or not field.flags.required:
        return control
    choices = list(field.iter_choices())
    if not choices or choices[0][0] in ("", None):
        return control
    start, end, rest = control.partition(">")  # Markup's partition keeps the parts Markup
    if not any(choice[2] for choice in choices):
        rest = rest.replace(Markup("<option "), Markup("<option selected "), 1)
    return start + end + _PLACEHOLDER.format(_PLACEHOLDER_LABEL) + rest


def _field_key(field, help: Any) -> tuple | None:
    """What a pristine field's HTML depends on: its widget, type, id, name, label, help,
    validation flags, render_kw and value (a select's choices and data, a checkbox's
    state). None: render it each time (submitted, typed, in error, or anything unusual)."""
    if field.errors or field.raw_data or getattr(field, "_datalist", None) is not None:
        return None
    flags = tuple(sorted(vars(field.flags).items()))
    if any(callable(value) for _name, value in flags):
        return None
    render_kw = tuple(sorted(field.render_kw.items())) if field.render_kw else ()
    value = _value_key(field)
    if value is None:
        return None
    try:
        key = (field.widget, field.type, field.id, field.name, str(field.label.text),
               None if help is None else str(help), flags, render_kw, value)
        hash(key)
    except TypeError:  # an unhashable render_kw value or select data
        return None
    return key


def _value_key(field) -> tuple | None:
    if isinstance(field.widget, widgets.Select):
        choices = field.choices
        if not _plain_choices(choices):
            return None
        if not isinstance(choices, tuple):  # a tuple's labels are plain text already
            choices = tuple((value, str(label)) for value, label in choices)
        data = tuple(field.data or ()) if isinstance(field.data, list) else field.data
        return ("select", choices, data, field.coerce, str(_PLACEHOLDER_LABEL))
    if isinstance(field.widget, widgets.CheckboxInput):
        return ("checked", bool(getattr(field, "checked", field.data)))
    if not isinstance(field.widget, widgets.Input | widgets.TextArea) or field._value() != "":
        return None  # a value the user may have typed is never kept
    return ("empty",)


# --- values as a conflict page shows them ---------------------------------------------------

def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def shown_value(value: Any) -> str:
    """A plain value as people read it: "–" for nothing, Ja/Nej, grouped numbers, dates
    in the locale."""
    if _blank(value):
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return typed_number(float(value))
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(item) for item in value)
    return str(value)


def shown_field(field: Any) -> str:
    """A form field's value as people read it: a choice by its label, not its code."""
    data = field.data
    if isinstance(field.widget, widgets.Select) and not _blank(data):
        labels = {str(value): str(label) for value, label in (
            field.choices() if callable(field.choices) else field.choices or [])}
        values = data if isinstance(data, list | tuple) else [data]
        return ", ".join(labels.get(str(value), str(value)) for value in values)
    return shown_value(data)


def same_value(mine: Any, stored: Any) -> bool:
    """Whether two values say the same: nothing equals nothing (None, "", []), numbers
    compare as numbers, choices as text."""
    if _blank(mine) or _blank(stored):
        return _blank(mine) and _blank(stored)
    if isinstance(mine, int | float | Decimal) and isinstance(stored, int | float | Decimal):
        return float(mine) == float(stored)
    return str(mine) == str(stored)
