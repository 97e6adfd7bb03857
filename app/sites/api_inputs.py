"""Request bodies of the sites API as pydantic models (see app/api/inputs.py): the same
input rules as the site form, and the OpenAPI request schemas generated from them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from app.api.inputs import ApiInput, Slug, a_date, a_number, text
from app.core.service import all_municipalities
from app.sites import service
from app.sites.models import (
    DetaljplanStatus,
    RailSiding,
    Readiness,
    Site,
    SiteKind,
    SiteOwner,
    SiteStatus,
)

NOT_GIVEN: Any = None  # default of a field that is not given (not null: a PATCH keeps it)
Area = Annotated[int, *a_number("area_m2")]


class SiteFields(ApiInput):
    """The writable fields of a site; not given: empty (create) or unchanged (PATCH)."""
    name: Annotated[str, *text(Site.name, required=True)] = NOT_GIVEN
    municipality: Slug = NOT_GIVEN
    kind: SiteKind = NOT_GIVEN
    property_designation: Annotated[str, *text(Site.property_designation)] | None = NOT_GIVEN
    lat: Annotated[float, Field(ge=-90, le=90)] = NOT_GIVEN
    lon: Annotated[float, Field(ge=-180, le=180)] = NOT_GIVEN
    address: Annotated[str, *text(Site.address)] | None = NOT_GIVEN
    land_area_m2: Area | None = NOT_GIVEN
    building_area_m2: Area | None = NOT_GIVEN
    detaljplan_status: DetaljplanStatus | None = NOT_GIVEN
    detaljplan_id: Annotated[str, *text(Site.detaljplan_id)] | None = NOT_GIVEN
    detaljplan_in_force_on: Annotated[date, *a_date("plan_in_force")] | None = NOT_GIVEN
    readiness: Readiness | None = NOT_GIVEN
    contiguous_area_m2: Area | None = NOT_GIVEN
    permitted_use: Annotated[str, *text(Site.permitted_use)] | None = NOT_GIVEN
    price_sek_m2: Annotated[int, *a_number("price_sek_m2")] | None = NOT_GIVEN
    price_public: bool = NOT_GIVEN
    rail_siding: RailSiding | None = NOT_GIVEN
    power_mw: Annotated[float, *a_number("power_mw")] | None = NOT_GIVEN
    power_expandable_mw: Annotated[float, *a_number("power_mw")] | None = NOT_GIVEN
    power_lead_time_months: Annotated[int, *a_number("months")] | None = NOT_GIVEN
    water_sewage: bool | None = NOT_GIVEN
    status: SiteStatus = NOT_GIVEN
    available_from: Annotated[date, *a_date("available_from")] | None = NOT_GIVEN
    owner: SiteOwner = NOT_GIVEN
    contact_person: Annotated[str, *text(Site.contact_person)] | None = NOT_GIVEN
    public: bool = NOT_GIVEN
    description: Annotated[str, *text(service.DESCRIPTION_MAX, multiline=True)] | None = NOT_GIVEN


class SitePatch(SiteFields):
    """An edit of a site; `version` is the version it started from (409 when someone
    saved first). Fields not given keep their value."""
    version: int


class SiteCreate(SiteFields):
    """A new site; `status` defaults to available, other fields not given are empty."""
    name: Annotated[str, *text(Site.name, required=True)]
    municipality: Slug
    kind: SiteKind
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


def site_values(data: SiteFields) -> dict[str, Any]:
    """The given fields as service values: enums as their values, the municipality as a
    Municipality."""
    values: dict[str, Any] = {}
    for name in data.model_fields_set - {"version"}:
        value = getattr(data, name)
        values[name] = value.value if hasattr(value, "value") else value
    if "municipality" in values:
        values["municipality"] = next(m for m in all_municipalities()
                                      if m.slug == values["municipality"])
    return values
