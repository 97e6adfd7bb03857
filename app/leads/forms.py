"""Forms of the lead pages; the JSON API fills the same forms, so both check alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import IntegerField as PlainIntegerField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.core.service import municipality_names, municipality_slugs
from app.forms import (
    CheckboxesField,
    DateField,
    DateTimeLocalField,
    EmailField,
    FloatField,
    Form,
    HiddenInput,
    IntegerField,
    OneTimeForm,
    OrgnrField,
    PhoneField,
    SelectField,
    TextAreaField,
    max_length,
)
from app.forms import TextField as StringField
from app.leads import labels
from app.leads.models import Activity, Company, Contact, FollowUp, Lead, LeadShare


def clean_text(text: str | None) -> str | None:
    """Query-string text without NUL bytes and lone surrogates (PostgreSQL refuses both)."""
    if text is None:
        return None
    return text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from a JSON "\ud800" escape
        return False
    return "\x00" not in text


class LeadsForm(Form):
    """Every lead form: text that the database cannot store is a field error."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            values = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(value, str) and not storable(value) for value in values):
                field.errors = [*field.errors, str(_l("Contains a character that is not allowed."))]
                valid = False
        return valid


def municipality_options() -> list[tuple[str, str]]:
    return list(municipality_names().items())


class LeadForm(OneTimeForm, LeadsForm):
    version = HiddenInput()
    codename = StringField(_l("Codename"), validators=[Optional(), max_length(Lead.codename)],
                           description=_l("Leave blank for a suggestion such as “Projekt Trana”."))
    registration_number = StringField(_l("Registration number (diarienummer)"),
                                      validators=[Optional(), max_length(Lead.registration_number)])
    source = SelectField(_l("Source"), choices=labels.source_choices, validators=[DataRequired()])
    received_on = DateField(_l("Received"), validators=[Optional()], kind="received")
    sector = StringField(_l("Sector"), validators=[Optional(), max_length(Lead.sector)])
    confidential = BooleanField(_l("Confidential"))
    confidential_basis = StringField(
        _l("Legal basis of the secrecy marking"),
        validators=[Optional(), max_length(Lead.confidential_basis)],
        description=_l("Recorded with who marked the lead and when; blank: OSL 31:16."))
    description = TextAreaField(_l("Description"),
                                validators=[Optional(), max_length(Lead.description)])

    link_company_id = HiddenInput()
    company_name = StringField(_l("Company name"), validators=[Optional(), max_length(Company.name)])
    company_orgnr = OrgnrField(_l("Organisation number"), validators=[Optional(), max_length(Company.orgnr)])
    company_country = StringField(_l("Country"), validators=[Optional(), max_length(Company.country)])
    company_sector = StringField(_l("Company sector"),
                                 validators=[Optional(), max_length(Company.sector)])
    company_website = StringField(_l("Website"), validators=[Optional(), max_length(Company.website)])
    create_anyway = BooleanField(_l("Create a new company even though a similar one exists"))
    # The company's contact person, on a new lead (more are added on the lead page).
    contact_name = StringField(_l("Contact person"), validators=[Optional(), max_length(Contact.name)])
    contact_title = StringField(_l("Contact's title"),
                                validators=[Optional(), max_length(Contact.title)])
    contact_email = EmailField(_l("Contact's e-mail"),
                               validators=[Optional(), max_length(Contact.email)])
    contact_phone = PhoneField(_l("Contact's phone"),
                               validators=[Optional(), max_length(Contact.phone)])

    land_min_m2 = IntegerField(_l("Land area min (m²)"), validators=[Optional()], kind="area_m2")
    land_max_m2 = IntegerField(_l("Land area max (m²)"), validators=[Optional()], kind="area_m2")
    land_must = BooleanField(_l("Land area is a must"))
    contiguous_m2 = IntegerField(_l("Largest contiguous land area (m²)"), validators=[Optional()],
                                 kind="area_m2")
    contiguous_must = BooleanField(_l("Contiguous area is a must"))
    building_m2 = IntegerField(_l("Building area (m²)"), validators=[Optional()], kind="area_m2")
    building_must = BooleanField(_l("Building area is a must"))
    rail_siding = SelectField(_l("Rail siding needed"), choices=labels.yes_no_choices, default="")
    rail_must = BooleanField(_l("Rail siding is a must"))
    rail_accept_possible = BooleanField(_l("A site where a rail siding is possible will do"))
    motorway_km_max = FloatField(_l("Max km to motorway"), validators=[Optional()], kind="km")
    motorway_must = BooleanField(_l("Motorway distance is a must"))
    terminal_km_max = FloatField(_l("Max km to intermodal terminal"),
                                 validators=[Optional()], kind="km")
    terminal_must = BooleanField(_l("Terminal distance is a must"))
    airport_km_max = FloatField(_l("Max km to cargo airport"), validators=[Optional()], kind="km")
    airport_must = BooleanField(_l("Airport distance is a must"))
    power_mw = FloatField(_l("Power (MW)"), validators=[Optional()], kind="power_mw")
    power_must = BooleanField(_l("Power is a must"))
    power_lead_time_months = IntegerField(_l("Can wait for more power (months)"),
                                          validators=[Optional()], kind="months")
    water_sewage = SelectField(_l("Water and sewage needed"), choices=labels.yes_no_choices, default="")
    water_must = BooleanField(_l("Water and sewage is a must"))
    preferred_municipalities = CheckboxesField(_l("Preferred municipalities"),
                                               choices=municipality_options)
    preferred_must = BooleanField(_l("Preferred municipalities are a must"))
    desired_start = DateField(_l("Desired start"), validators=[Optional()], kind="desired_start")
    start_must = BooleanField(_l("Start date is a must"))
    price_max_sek_m2 = IntegerField(_l("Max price (SEK/m²)"), validators=[Optional()],
                                    kind="price_sek_m2")
    price_must = BooleanField(_l("Price ceiling is a must"))
    expected_jobs = IntegerField(_l("Expected jobs"), validators=[Optional()], kind="jobs")
    investment_msek = FloatField(_l("Investment (MSEK)"), validators=[Optional()],
                                 kind="investment_msek")

    def validate_land_max_m2(self, field) -> None:
        low = self.land_min_m2.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("The maximum must not be below the minimum."))

    def lead_values(self) -> dict:
        """The Lead columns from the form."""
        values = {
            name: getattr(self, name).data
            for name in ("registration_number", "source", "received_on", "sector", "confidential",
                         "confidential_basis", "description", "land_min_m2", "land_max_m2",
                         "land_must", "contiguous_m2", "contiguous_must", "building_m2",
                         "building_must", "rail_must", "rail_accept_possible",
                         "motorway_km_max", "motorway_must", "terminal_km_max", "terminal_must",
                         "airport_km_max", "airport_must", "power_mw", "power_must",
                         "power_lead_time_months", "water_must", "preferred_must",
                         "desired_start", "start_must", "price_max_sek_m2", "price_must",
                         "expected_jobs", "investment_msek")
        }
        for name in ("registration_number", "sector", "description", "confidential_basis"):
            values[name] = values[name] or None
        values["codename"] = (self.codename.data or "").strip()
        values["rail_siding"] = labels.yes_no_value(self.rail_siding.data)
        values["water_sewage"] = labels.yes_no_value(self.water_sewage.data)
        values["preferred_municipalities"] = ",".join(
            slug for slug in municipality_slugs()
            if slug in (self.preferred_municipalities.data or [])
        ) or None
        return values

    def company_values(self) -> dict | None:
        if not (self.company_name.data or "").strip():
            return None
        return {"name": self.company_name.data.strip(), "orgnr": self.company_orgnr.data or None,
                "country": self.company_country.data, "sector": self.company_sector.data,
                "website": self.company_website.data}

    def contact_values(self) -> dict | None:
        """The contact person given on a new lead, or None."""
        if not (self.contact_name.data or "").strip():
            return None
        return {"name": self.contact_name.data.strip(), "title": self.contact_title.data or None,
                "email": self.contact_email.data or None, "phone": self.contact_phone.data or None}

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the contact person as a whole: details need a name (an empty
        name stops the field's own validators), a name needs a company."""
        valid = super().validate(extra_validators)
        named = bool((self.contact_name.data or "").strip())
        details = (self.contact_title.data, self.contact_email.data, self.contact_phone.data)
        problem = None
        if any(details) and not named:
            problem = _l("Give the contact person's name as well.")
        elif named and not (self.company_name.data or "").strip() \
                and not self.link_company_id.data:
            problem = _l("A contact person belongs to a company: give its name.")
        if problem is not None:
            self.contact_name.errors = [*self.contact_name.errors, problem]
            return False
        return valid

    def validate_company_orgnr(self, field) -> None:
        if field.data and not (self.company_name.data or "").strip():
            raise ValidationError(_l("Give the company's name as well."))


class StageForm(LeadsForm):
    version = HiddenInput()
    stage = SelectField(_l("Stage"), choices=labels.stage_choices, validators=[DataRequired()])
    lost_reason = SelectField(_l("Reason"), choices=labels.lost_reason_choices_blank,
                              validators=[Optional()])
    lost_comment = TextAreaField(_l("Comment"), validators=[Optional(), max_length(Lead.lost_comment)])
    decided_on = DateField(_l("Decision date"), validators=[Optional()], kind="decided_on")
    expected_jobs = IntegerField(_l("Jobs"), validators=[Optional()], kind="jobs")
    investment_msek = FloatField(_l("Investment (MSEK)"), validators=[Optional()],
                                 kind="investment_msek")

    def stage_data(self) -> dict:
        return {"lost_reason": self.lost_reason.data or None, "lost_comment": self.lost_comment.data,
                "decided_on": self.decided_on.data, "expected_jobs": self.expected_jobs.data,
                "investment_msek": self.investment_msek.data}


class ActivityForm(OneTimeForm, LeadsForm):
    kind = SelectField(_l("Kind"), choices=labels.activity_kind_choices, validators=[DataRequired()])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), max_length(Activity.body)])
    internal = BooleanField(_l("Internal (hidden from anonymised shares)"), default=True)
    at = DateTimeLocalField(_l("When"), validators=[Optional()],
                            description=_l("Leave blank for now."), kind="activity")
    # The ids of the users the text's "@Name"s refer to, filled by static/js/mentions.js.
    mentions = HiddenInput(validators=[Optional(), Length(max=400)])


class FollowUpForm(OneTimeForm, LeadsForm):
    title = StringField(_l("Follow-up"), validators=[DataRequired(), max_length(FollowUp.title)])
    due_on = DateField(_l("Due"), validators=[InputRequired()], kind="follow_up")
    remind_at = DateTimeLocalField(_l("Reminder"), validators=[Optional()], kind="follow_up")
    assignee_id = SelectField(_l("Assignee"), coerce=int, validate_choice=False,
                              validators=[Optional()])


class ShareForm(OneTimeForm, LeadsForm):
    municipalities = CheckboxesField(_l("Municipalities"), choices=municipality_options,
                                     validators=[DataRequired()])
    level = SelectField(_l("Level"), choices=labels.share_level_choices, validators=[DataRequired()])
    # Only for a confidential lead shared in full (app.leads.secrecy.checked_basis).
    basis = SelectField(_l("Basis for sharing in full"), choices=labels.share_basis_choices,
                        default="")
    basis_by = StringField(_l("Who consented or decided"),
                           validators=[Optional(), max_length(LeadShare.basis_by)])
    basis_on = DateField(_l("Date of the consent or decision"), validators=[Optional()], kind="basis_on")
    basis_reason = TextAreaField(_l("Why the matter may be passed on (secrecy review)"),
                                 validators=[Optional(), max_length(LeadShare.basis_reason)])

    def basis_values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("basis", "basis_by", "basis_on", "basis_reason")}


class RevokeForm(LeadsForm):
    municipality = HiddenInput(validators=[DataRequired()])


class ResponseForm(OneTimeForm, LeadsForm):
    response = SelectField(_l("Response"), choices=labels.response_choices,
                           validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"),
                            validators=[Optional(), max_length(LeadShare.response_comment)])


class ContactForm(OneTimeForm, LeadsForm):
    id_prefix = "contact"  # beside the follow-up form (both have a title) on the lead page

    name = StringField(_l("Name"), validators=[DataRequired(), max_length(Contact.name)])
    title = StringField(_l("Title"), validators=[Optional(), max_length(Contact.title)])
    email = EmailField(_l("E-mail"), validators=[Optional(), max_length(Contact.email)])
    phone = PhoneField(_l("Phone"), validators=[Optional(), max_length(Contact.phone)])


class CompanyForm(LeadsForm):
    """A company's details; `version` is the one the edit started from."""

    name = StringField(_l("Company name"), validators=[DataRequired(), max_length(Company.name)])
    orgnr = OrgnrField(_l("Organisation number"), validators=[Optional(), max_length(Company.orgnr)])
    country = StringField(_l("Country"), validators=[Optional(), max_length(Company.country)])
    sector = StringField(_l("Company sector"), validators=[Optional(), max_length(Company.sector)])
    website = StringField(_l("Website"), validators=[Optional(), max_length(Company.website)])
    version = HiddenInput()

    def values(self) -> dict:
        return {"name": self.name.data, "orgnr": self.orgnr.data or None,
                "country": self.country.data, "sector": self.sector.data,
                "website": self.website.data}


class HandoverForm(LeadsForm):
    from_user = SelectField(_l("From"), coerce=int, validators=[DataRequired()])
    to_user = SelectField(_l("To"), coerce=int, validators=[DataRequired()])


class MergeForm(LeadsForm):
    source = PlainIntegerField(_l("Merge this company (id)"), validators=[InputRequired()])
    target = PlainIntegerField(_l("into this company (id)"), validators=[InputRequired()])


class TokenForm(LeadsForm):
    """Only the CSRF token, for a post whose fields the service checks (deleting a lead,
    a partner's own diarienummer)."""


class DoneForm(LeadsForm):
    done = HiddenInput()


class ReminderForm(LeadsForm):
    """A follow-up's reminder time (empty removes it)."""

    remind_at = DateTimeLocalField(_l("Reminder"), validators=[Optional()], kind="follow_up")
