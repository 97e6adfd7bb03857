from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField
from wtforms import EmailField as PlainEmailField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.models import User
from app.forms import EmailField, Form, SelectField, TextField, max_length

LOCALE_CHOICES = [("sv", "Svenska"), ("en", "English")]
MIN_PASSWORD_LENGTH = 10


class LoginForm(Form):
    email = PlainEmailField(_l("E-mail"), validators=[DataRequired(), max_length(User.email)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in"))


class ResetRequestForm(Form):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), max_length(User.email)]
    )


class SetPasswordForm(Form):
    """A new password, typed twice; the same rules for reset, invitation and change."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("The password needs at least %(min)d characters.",
                           min=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])


class ProfileForm(Form):
    name = TextField(_l("Name"), validators=[DataRequired(), max_length(User.name)])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    weekly_digest = BooleanField(_l("Send me the weekly summary e-mail"))
