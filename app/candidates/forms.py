"""Forms of candidate sites: propose one, change one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField as PlainIntegerField
from wtforms import TimeField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.candidates.models import STATUS_LABELS, CandidateSite, CandidateStatus, SiteVisit
from app.forms import (
    CheckboxesField,
    DateField,
    Form,
    HiddenInput,
    OneTimeForm,
    SelectField,
    TextAreaField,
    TextField,
    max_length,
)
from app.input_rules import MAX_ID


def status_choices() -> list[tuple[str, str]]:
    return [(status.value, str(STATUS_LABELS[status])) for status in CandidateStatus]




CRITERION_LABELS = {
    "land_area": _l("land area"), "contiguous_area": _l("contiguous area"),
    "building_area": _l("building area"), "rail_siding": _l("rail siding"),
    "motorway_km": _l("distance to a trafikplats"), "terminal_km": _l("distance to a terminal"),
    "airport_km": _l("distance to the airport"), "power": _l("power"),
    "water_sewage": _l("VA"), "detaljplan": _l("detaljplan"), "municipality": _l("municipality"),
    "available": _l("availability"), "price": _l("price"),
}


class ProposeForm(OneTimeForm, Form):
    site_id = PlainIntegerField(validators=[DataRequired(), NumberRange(1, MAX_ID)])
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(CandidateSite.note)])


class CandidateForm(Form):
    version = HiddenInput(validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=status_choices, validators=[DataRequired()])
    reason = TextField(_l("Reason"), validators=[Optional(), max_length(CandidateSite.reason)])
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(CandidateSite.note)])


class VisitForm(OneTimeForm, Form):
    """Plan a site visit; the choices are set by the view (the lead's candidates, the users
    who may see the lead)."""

    id_prefix = "visit"  # beside the pack's and the follow-ups' forms on the lead page

    candidates = CheckboxesField(_l("Candidate sites"), coerce=int, choices=[],
                                 validators=[DataRequired()])
    due_on = DateField(_l("Date"), kind="follow_up", validators=[DataRequired()])
    due_time = TimeField(_l("Time"), validators=[DataRequired()])
    assignee = SelectField(_l("Responsible advisor"), coerce=int, choices=[],
                           validators=[DataRequired()])
    participants = CheckboxesField(_l("Participants"), coerce=int, choices=[],
                                   validators=[Optional()])
    external = TextField(_l("External participants"),
                         validators=[Optional(), max_length(SiteVisit.external_participants)])
