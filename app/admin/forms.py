from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired, InputRequired

from app.auth.forms import LOCALE_CHOICES
from app.auth.models import Role, User
from app.candidates.forms import CRITERION_LABELS
from app.candidates.matching import DEFAULT_WEIGHTS
from app.forms import (
    EmailField,
    Form,
    HiddenInput,
    IntegerField,
    OneTimeForm,
    SelectField,
    TextField,
    max_length,
)


def role_choices() -> list[tuple[str, str]]:
    return [
        (Role.ADVISOR.value, _l("Advisor")),
        (Role.VIEWER.value, _l("Viewer")),
        (Role.ADMIN.value, _l("Administrator")),
    ]


class UserEditForm(Form):
    name = TextField(_l("Name"), validators=[DataRequired(), max_length(User.name)])
    municipality = SelectField(_l("Municipality"), validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    active = BooleanField(_l("Active"), default=True)


class UserInviteForm(OneTimeForm, UserEditForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), max_length(User.email)]
    )


class MatchWeightsForm(Form):
    """One whole-number weight (0–10) per nice-to-have criterion."""

    version = HiddenInput(validators=[DataRequired()])

    def weights(self) -> dict[str, int | None]:
        return {key: self[key].data for key in DEFAULT_WEIGHTS}


for _key in DEFAULT_WEIGHTS:
    setattr(MatchWeightsForm, _key, IntegerField(CRITERION_LABELS[_key],
                                                 validators=[InputRequired()], kind="weight"))
