from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from app.auth.forms import LOCALE_CHOICES
from app.auth.models import Role, User
from app.forms import EmailField, OneTimeForm, SelectField, TextField, max_length


def role_choices() -> list[tuple[str, str]]:
    return [
        (Role.ADVISOR.value, _l("Advisor")),
        (Role.VIEWER.value, _l("Viewer")),
        (Role.ADMIN.value, _l("Administrator")),
    ]


class UserEditForm(FlaskForm):
    name = TextField(_l("Name"), validators=[DataRequired(), max_length(User.name)])
    municipality = SelectField(_l("Municipality"), validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    active = BooleanField(_l("Active"), default=True)


class UserInviteForm(OneTimeForm, UserEditForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), max_length(User.email)]
    )
