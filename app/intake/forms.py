"""The public inquiry form: the shared input rules (app/forms.py), lengths from the
columns, a honeypot field and the signed time the form was shown."""

from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.forms import (
    DateField,
    EmailField,
    FloatField,
    Form,
    HiddenInput,
    IntegerField,
    OrgnrField,
    PhoneField,
    SelectField,
    TextAreaField,
    TextField,
    max_length,
)
from app.intake.service import PLANS_LENGTH, Inquiry
from app.leads.models import Company, Contact, Lead

NO_PREFERENCE = "none"
RAIL_CHOICES = [("", _l("Do not know")), ("yes", _l("Yes")), ("no", _l("No"))]


class CheckboxesField(wtforms.SelectMultipleField):
    """Several choices as checkboxes (a list of them in a fieldset)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class InquiryForm(Form):
    company_name = TextField(_l("Company name"), [DataRequired(), max_length(Company.name)])
    orgnr = OrgnrField(_l("Organisation number (Swedish companies)"))
    country = TextField(_l("Country"), [Optional(), max_length(Company.country)],
                        default="Sverige")
    contact_name = TextField(_l("Your name"), [DataRequired(), max_length(Contact.name)])
    email = EmailField(_l("E-mail"), [DataRequired(), max_length(Contact.email)])
    phone = PhoneField(_l("Phone"), [Optional(), max_length(Contact.phone)])
    sector = TextField(_l("Sector"), [Optional(), max_length(Lead.sector)])
    plans = TextAreaField(_l("What do you plan?"), [DataRequired(), Length(
        max=PLANS_LENGTH, message=_l("At most %(max)d characters.", max=PLANS_LENGTH))],
                          render_kw={"rows": 5, "maxlength": PLANS_LENGTH})
    land_area_m2 = IntegerField(_l("Land area (m²)"), [Optional()], kind="area_m2")
    building_area_m2 = IntegerField(_l("Building area (m²)"), [Optional()], kind="area_m2")
    rail_siding = SelectField(_l("Rail siding needed"), choices=RAIL_CHOICES, default="")
    power_mw = FloatField(_l("Power need (MW)"), [Optional()], kind="power_mw")
    expected_jobs = IntegerField(_l("Expected jobs"), [Optional()], kind="jobs")
    desired_start = DateField(_l("Desired start"), [Optional()], kind="desired_start")
    municipalities = CheckboxesField(_l("Preferred municipalities"))
    consent = BooleanField(_l("I have read the privacy notice and agree that my details are "
                              "stored to handle the inquiry"),
                           [InputRequired(message=_l("Agree to the privacy notice to send "
                                                     "the inquiry."))])
    site_id = HiddenInput()
    started = HiddenInput()
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    homepage = TextField(_l("Leave this field empty"), render_kw={
        "autocomplete": "off", "tabindex": "-1"})

    def __init__(self, municipalities: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities.choices = [*municipalities,
                                       (NO_PREFERENCE, str(_l("No preference")))]

    def validate_municipalities(self, field: Any) -> None:
        if NO_PREFERENCE in (field.data or []) and len(field.data) > 1:
            raise ValidationError(_l("Choose municipalities or “No preference”, not both."))

    def inquiry(self) -> Inquiry:
        """The checked values as an Inquiry."""
        rail = {"yes": True, "no": False}.get(self.rail_siding.data or "")
        site = self.site_id.data
        return Inquiry(
            company_name=self.company_name.data, orgnr=self.orgnr.data or None,
            country=self.country.data or None, contact_name=self.contact_name.data,
            email=self.email.data, phone=self.phone.data or None,
            sector=self.sector.data or None, plans=self.plans.data,
            land_area_m2=self.land_area_m2.data, building_area_m2=self.building_area_m2.data,
            rail_siding=rail, power_mw=self.power_mw.data, expected_jobs=self.expected_jobs.data,
            desired_start=self.desired_start.data,
            municipalities=[slug for slug in self.municipalities.data or []
                            if slug != NO_PREFERENCE],
            site_id=int(site) if site and site.isascii() and site.isdigit() and len(site) < 10
            else None)

