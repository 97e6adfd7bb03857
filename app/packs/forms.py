"""The form that makes a prospect pack, on the lead page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, NumberRange, Optional

from app.forms import CheckboxesField, Form, IntegerField, OneTimeForm, SelectField
from app.packs.service import DEFAULT_DAYS, MAX_DAYS


class PackForm(OneTimeForm, Form):
    id_prefix = "pack"  # on the lead page, beside its section `#candidates` and the visit form

    candidates = CheckboxesField(_l("Candidate sites"), coerce=int, choices=[],
                                 validators=[DataRequired()])
    language = SelectField(_l("Language of the pack"),
                           choices=[("sv", _l("Swedish")), ("en", _l("English"))],
                           validators=[DataRequired()])
    expires_in_days = IntegerField(_l("Open for (days)"), kind="pack_days",
                                   default=DEFAULT_DAYS,
                                   validators=[Optional(), NumberRange(1, MAX_DAYS)])
