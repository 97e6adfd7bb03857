"""The reservation forms on the lead page's candidate panel."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Optional

from app.forms import (
    DateField,
    Form,
    HiddenInput,
    IntegerField,
    OneTimeForm,
    SelectField,
    TextAreaField,
    TextField,
    max_length,
)
from app.reservations.models import KIND_LABELS, Reservation


def kind_choices() -> list[tuple[str, Any]]:
    return [(kind.value, label) for kind, label in KIND_LABELS.items()]


def action_choices() -> list[tuple[str, Any]]:
    return [("extend", _l("Extend to the new end date")), ("cancel", _l("Cancel the reservation")),
            ("convert", _l("Converted to a land transfer"))]


class ReservationForm(OneTimeForm, Form):
    kind = SelectField(_l("Kind"), choices=kind_choices, validators=[DataRequired()])
    decided_on = DateField(_l("Decided on"), kind="decided_on", validators=[DataRequired()])
    decided_by = TextField(_l("Decided by (board or officer)"),
                           validators=[DataRequired(), max_length(Reservation.decided_by)])
    valid_from = DateField(_l("Valid from"), kind="reservation", validators=[DataRequired()])
    valid_until = DateField(_l("Valid until"), kind="reservation", validators=[DataRequired()])
    agreement_ref = TextField(_l("Diarienummer"),
                              validators=[Optional(), max_length(Reservation.agreement_ref)])
    fee_sek = IntegerField(_l("Fee or deposit (SEK)"), validators=[Optional()], kind="fee_sek")
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(Reservation.note)])

    def values(self) -> dict[str, Any]:
        return {"kind": self.kind.data, "decided_on": self.decided_on.data,
                "decided_by": (self.decided_by.data or "").strip(),
                "valid_from": self.valid_from.data, "valid_until": self.valid_until.data,
                "agreement_ref": self.agreement_ref.data or None, "fee_sek": self.fee_sek.data,
                "note": self.note.data or None}


class ReservationChangeForm(Form):
    version = HiddenInput(validators=[DataRequired()])
    action = SelectField(_l("Change"), choices=action_choices, validators=[DataRequired()])
    valid_until = DateField(_l("New end date"), kind="reservation", validators=[Optional()])
