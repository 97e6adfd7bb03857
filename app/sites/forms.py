from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import Select

from app.forms import (
    DateField,
    FloatField,
    Form,
    HiddenInput,
    IntegerField,
    OneTimeForm,
    SelectField,
    TextAreaField,
    max_length,
    shown_value,
)
from app.forms import TextField as StringField
from app.input_rules import format_number
from app.sites import labels, service
from app.sites.geography import (
    SWEREF_SYSTEMS,
    from_sweref,
    sweref_eastings,
    sweref_in_range,
    sweref_system_of,
)
from app.sites.models import LogisticsNode, Site


def _choices(labels: dict, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    return choices + [(key, label) for key, label in labels.items()]


class NumberField(DecimalField):
    """A coordinate typed by a person: finite (no NaN or Infinity), comma allowed; always
    read as a decimal number ("59.271" is a latitude, never thousands), unlike the
    measures (app.forms.FloatField)."""

    data: Any

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("places", None)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".").replace(" ", "")]
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


def _sweref_choices() -> list[tuple[str, Any]]:
    return [("", _l("Tell from the easting")),
            *((code, name) for code, name in SWEREF_SYSTEMS.items())]


class CoordinateForm(Form):
    """Latitude/longitude, or SWEREF 99 northing/easting (TM, or 15 00 as on the
    municipalities' own maps) converted with pyproj."""

    lat = NumberField(_l("Latitude (WGS84)"), validators=[Optional()])
    lon = NumberField(_l("Longitude (WGS84)"), validators=[Optional()])
    sweref_n = NumberField(_l("Northing N (SWEREF 99)"), validators=[Optional()])
    sweref_e = NumberField(_l("Easting E (SWEREF 99)"), validators=[Optional()])
    sweref_system = SelectField(_l("SWEREF 99 system"), choices=_sweref_choices, default="",
                                validate_choice=True)
    read_as: str | None = None  # the SWEREF system the coordinates were read in

    def position(self) -> tuple[float, float] | None:
        """(lat, lon) from the WGS84 fields, else from SWEREF 99 (the chosen system, or
        the one the easting belongs to: `read_as`); adds field errors."""
        if self.lat.data is not None and self.lon.data is not None:
            return float(self.lat.data), float(self.lon.data)
        if self.sweref_n.data is not None and self.sweref_e.data is not None:
            northing, easting = float(self.sweref_n.data), float(self.sweref_e.data)
            system = self.sweref_system.data or sweref_system_of(easting)
            if not sweref_in_range(northing, easting, system):
                self.sweref_n.errors = [*self.sweref_n.errors, _l(
                    "These are not %(system)s coordinates in Sweden: its northings run from "
                    "6 100 000 to 7 700 000 metres, its eastings from %(low)s to %(high)s.",
                    system=SWEREF_SYSTEMS[system],
                    low=format_number(sweref_eastings(system)[0]),
                    high=format_number(sweref_eastings(system)[1]))]
                return None
            self.read_as = SWEREF_SYSTEMS[system]
            return from_sweref(northing, easting, system)
        self.lat.errors = [*self.lat.errors, _l(
            "Give latitude and longitude, or SWEREF 99 northing and easting, or click on the map.")]
        return None


class SiteForm(OneTimeForm, CoordinateForm):
    version = HiddenInput()
    name = StringField(_l("Name"), validators=[DataRequired(), max_length(Site.name)])
    municipality = SelectField(_l("Municipality"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=lambda: _choices(labels.kind_labels()))
    property_designation = StringField(
        _l("Property designation"), validators=[Optional(), max_length(Site.property_designation)])
    address = StringField(_l("Address"), validators=[Optional(), max_length(Site.address)])
    land_area_m2 = IntegerField(_l("Land area (m²)"), validators=[Optional()], kind="area_m2")
    building_area_m2 = IntegerField(_l("Building area (m²)"), validators=[Optional()], kind="area_m2")
    contiguous_area_m2 = IntegerField(_l("Largest contiguous area (m²)"), validators=[Optional()],
                                      kind="area_m2")
    detaljplan_status = SelectField(
        _l("Detaljplan"), choices=lambda: _choices(labels.detaljplan_labels(), _l("Unknown")))
    detaljplan_id = StringField(_l("The plan's designation"),
                                validators=[Optional(), max_length(Site.detaljplan_id)])
    detaljplan_in_force_on = DateField(_l("In force since"), validators=[Optional()],
                                       kind="plan_in_force")
    readiness = SelectField(_l("Readiness"), default="",
                            choices=lambda: _choices(labels.readiness_labels(), _l("Unknown")))
    permitted_use = StringField(_l("Permitted use"), validators=[
        Optional(), max_length(Site.permitted_use)])
    price_sek_m2 = IntegerField(_l("Price (SEK/m²)"), validators=[Optional()], kind="price_sek_m2")
    price_public = BooleanField(_l("The price may be shown publicly"))
    rail_siding = SelectField(_l("Rail siding"),
                              choices=lambda: _choices(labels.rail_labels(), _l("Unknown")))
    power_mw = FloatField(_l("Available power (MW)"), validators=[Optional()], kind="power_mw")
    power_expandable_mw = FloatField(_l("More power obtainable (MW)"), validators=[Optional()],
                                       kind="power_mw")
    power_lead_time_months = IntegerField(_l("Months to obtain it"), validators=[Optional()],
                                          kind="months")
    water_sewage = SelectField(_l("Water and sewage"), choices=[
        ("", _l("Unknown")), ("yes", _l("Yes")), ("no", _l("No"))])
    status = SelectField(_l("Status"), choices=lambda: _choices(labels.status_labels()))
    available_from = DateField(_l("Available from"), validators=[Optional()], kind="available_from")
    owner = SelectField(_l("Owner"), choices=lambda: _choices(labels.owner_labels()))
    contact_person = StringField(_l("Contact person"), validators=[
        Optional(), max_length(Site.contact_person)])
    public = BooleanField(_l("Public (may appear in the public site catalogue)"))
    description = TextAreaField(_l("Description"), validators=[
        Optional(), Length(max=service.DESCRIPTION_MAX,
                           message=_l("At most %(max)d characters.", max=service.DESCRIPTION_MAX))])

    def labels(self) -> dict[str, str]:
        """Each field's label by name (the conflict page's rows)."""
        return {field.name: str(field.label.text) for field in self}

    def shown(self, name: str, value: object) -> str:
        """A stored value as the form offers it: a choice by its label, not its code."""
        if name in self and isinstance(self[name].widget, Select) and value not in (None, ""):
            choices = self[name].choices
            labels = {str(key): str(label) for key, label in (
                choices() if callable(choices) else choices or [])}
            return labels.get(str(value), str(value))
        return shown_value(value)

    def typed_values(self, municipalities: dict) -> dict:
        """The form's data as the service's typed values (after validate())."""
        def enum_or_none(value: str):
            return value or None

        return {
            "name": self.name.data.strip(),
            "municipality": municipalities[self.municipality.data],
            "kind": self.kind.data,
            "property_designation": (self.property_designation.data or "").strip() or None,
            "address": (self.address.data or "").strip() or None,
            "land_area_m2": self.land_area_m2.data,
            "building_area_m2": self.building_area_m2.data,
            "detaljplan_status": enum_or_none(self.detaljplan_status.data),
            "permitted_use": (self.permitted_use.data or "").strip() or None,
            "price_sek_m2": self.price_sek_m2.data,
            "price_public": bool(self.price_public.data),
            "rail_siding": enum_or_none(self.rail_siding.data),
            "power_mw": None if self.power_mw.data is None else float(self.power_mw.data),
            "water_sewage": {"yes": True, "no": False}.get(self.water_sewage.data),
            "status": self.status.data,
            "available_from": self.available_from.data,
            "owner": self.owner.data,
            "contact_person": (self.contact_person.data or "").strip() or None,
            "public": bool(self.public.data),
            "description": (self.description.data or "").strip() or None,
            "contiguous_area_m2": self.contiguous_area_m2.data,
            "power_expandable_mw": (None if self.power_expandable_mw.data is None
                                    else float(self.power_expandable_mw.data)),
            "power_lead_time_months": self.power_lead_time_months.data,
            "readiness": enum_or_none(self.readiness.data),
            "detaljplan_id": (self.detaljplan_id.data or "").strip() or None,
            "detaljplan_in_force_on": self.detaljplan_in_force_on.data,
        }

    def fill_from(self, site: Site) -> None:
        for name in service.EDITABLE_FIELDS:
            value = getattr(site, name)
            if name == "municipality":
                value = site.municipality.slug
            elif name == "water_sewage":
                value = {True: "yes", False: "no"}.get(value, "")
            elif hasattr(value, "value"):
                value = value.value
            elif value is None and name in ("detaljplan_status", "rail_siding", "readiness"):
                value = ""
            getattr(self, name).data = value
        self.version.data = str(site.version)


class NodeForm(OneTimeForm, CoordinateForm):
    version = HiddenInput()
    kind = SelectField(_l("Kind"), choices=lambda: _choices(labels.node_kind_labels()))
    name = StringField(_l("Name"), validators=[DataRequired(), max_length(LogisticsNode.name)])
    municipality = SelectField(_l("Municipality"), validators=[DataRequired()])
    accuracy = SelectField(_l("Accuracy"), choices=lambda: _choices(labels.accuracy_labels()))
    note = StringField(_l("Note"), validators=[Optional(), max_length(LogisticsNode.note)])

