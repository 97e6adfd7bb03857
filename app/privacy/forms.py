from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired

from app.forms import Form, IntegerField


class RetentionForm(Form):
    """A municipality's gallring: whole years after a lead is closed (lost / won)."""

    lost_years = IntegerField(_l("Years after a lead is closed without establishment"),
                              validators=[InputRequired()], kind="retention_years")
    won_years = IntegerField(_l("Years after a lead is closed as established"),
                             validators=[InputRequired()], kind="retention_years")
