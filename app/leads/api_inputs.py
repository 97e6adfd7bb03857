"""Request bodies of the lead API as pydantic models (see app/api/inputs.py), and their
translation into the values the lead services (app/leads/commands.py, stages.py) take.

A PATCH model's fields default to None, meaning "not given": only the fields in
`model_fields_set` change anything. `null` is accepted only where the type says `| None`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import Field

from app.api.inputs import (
    ApiInput,
    Slug,
    a_date,
    a_datetime,
    a_number,
    invalid,
    orgnr_text,
    text,
)
from app.core.service import municipality_slugs
from app.input_rules import MAX_ID
from app.leads.models import (
    SYSTEM_ACTIVITY_KINDS,
    Activity,
    ActivityKind,
    Company,
    FollowUp,
    Lead,
    LeadShare,
    LostReason,
    ShareBasis,
    ShareLevel,
    Source,
    Stage,
)

# The kinds a user records (not those the product writes); made from ActivityKind so they
# cannot drift, which mypy cannot follow (it needs the members written out).
NoteKind = StrEnum("ActivityInputKind",  # type: ignore[misc]
                   {kind.name: kind.value for kind in ActivityKind
                    if kind not in SYSTEM_ACTIVITY_KINDS})

Area = Annotated[int, *a_number("area_m2")]
Km = Annotated[float, *a_number("km")]
Power = Annotated[float, *a_number("power_mw")]
Months = Annotated[int, *a_number("months")]
Price = Annotated[int, *a_number("price_sek_m2")]
Jobs = Annotated[int, *a_number("jobs")]
Investment = Annotated[float, *a_number("investment_msek")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
NOT_GIVEN: Any = None  # default of a PATCH field: absent, not null


class LandArea(ApiInput):
    min: Area | None = NOT_GIVEN
    max: Area | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class AreaRequirement(ApiInput):
    value: Area | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class YesNoRequirement(ApiInput):
    value: bool | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class KmRequirement(ApiInput):
    value: Km | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class PowerRequirement(ApiInput):
    value: Power | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class MonthsRequirement(ApiInput):
    value: Months | None = NOT_GIVEN
    must: bool = Field(NOT_GIVEN, description="The power criterion's must (power_mw.must).")


class PriceRequirement(ApiInput):
    value: Price | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class AcceptPossibleRequirement(ApiInput):
    value: bool | None = Field(NOT_GIVEN, description="True: a site where a rail siding is "
                                                      "possible passes the rail criterion.")
    must: bool = Field(NOT_GIVEN, description="The rail criterion's must (rail_siding.must).")


class MunicipalitiesRequirement(ApiInput):
    value: list[Slug] | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class StartRequirement(ApiInput):
    value: Annotated[date, *a_date("desired_start")] | None = NOT_GIVEN
    must: bool = NOT_GIVEN


class LeadRequirementsInput(ApiInput):
    """What the company needs; each `must` (true: a must, false: a wish) defaults to
    false on creation and keeps its stored value on PATCH when not given."""
    land_area: LandArea = NOT_GIVEN
    contiguous_area: AreaRequirement = Field(
        NOT_GIVEN, description="The largest single piece of land needed (m²).")
    building_area: AreaRequirement = NOT_GIVEN
    rail_siding: YesNoRequirement = NOT_GIVEN
    rail_accept_possible: AcceptPossibleRequirement = NOT_GIVEN
    motorway_km: KmRequirement = NOT_GIVEN
    terminal_km: KmRequirement = NOT_GIVEN
    airport_km: KmRequirement = Field(
        NOT_GIVEN, description="At most this far from a cargo airport (km, straight line).")
    power_mw: PowerRequirement = NOT_GIVEN
    power_lead_time_months: MonthsRequirement = Field(
        NOT_GIVEN, description="How long the company can wait for more power (months); "
                               "not given: until the desired start.")
    water_sewage: YesNoRequirement = NOT_GIVEN
    preferred_municipalities: MunicipalitiesRequirement = NOT_GIVEN
    desired_start: StartRequirement = NOT_GIVEN
    price_max: PriceRequirement = Field(NOT_GIVEN, description="At most this price (SEK/m²).")


class CompanyInput(ApiInput):
    name: Annotated[str, *text(Company.name, required=True)]
    orgnr: Annotated[str, *orgnr_text()] | None = None
    country: Annotated[str, *text(Company.country)] | None = None
    sector: Annotated[str, *text(Company.sector)] | None = None
    website: Annotated[str, *text(Company.website)] | None = None


class LeadPatch(ApiInput):
    """An edit of a lead and/or a stage change, one transaction; `version` is the version
    the edit started from (409 when someone saved first)."""
    version: int
    codename: Annotated[str, *text(Lead.codename)] = Field(
        NOT_GIVEN, description="Blank: a codename is suggested (on creation) or kept.")
    registration_number: Annotated[str, *text(Lead.registration_number)] | None = NOT_GIVEN
    source: Source = NOT_GIVEN
    received_on: Annotated[date, *a_date("received")] = NOT_GIVEN
    sector: Annotated[str, *text(Lead.sector)] | None = NOT_GIVEN
    confidential: bool = NOT_GIVEN
    confidential_basis: Annotated[str, *text(Lead.confidential_basis)] | None = NOT_GIVEN
    description: Annotated[str, *text(Lead.description, multiline=True)] | None = NOT_GIVEN
    requirements: LeadRequirementsInput = NOT_GIVEN
    expected_jobs: Jobs | None = NOT_GIVEN
    investment_msek: Investment | None = NOT_GIVEN
    company: CompanyInput | None = Field(
        NOT_GIVEN, description="A new company of the own municipality's register; null "
                               "unlinks the company.")
    company_id: Id = Field(NOT_GIVEN, description="A company of the own municipality's register.")
    stage: Stage = NOT_GIVEN
    lost_reason: LostReason = NOT_GIVEN
    lost_comment: Annotated[str, *text(Lead.lost_comment, multiline=True)] = NOT_GIVEN
    decided_on: Annotated[date, *a_date("decided_on")] = NOT_GIVEN


class LeadInput(ApiInput):
    """A new lead; missing fields are empty, `confidential` and every `must` false."""
    codename: Annotated[str, *text(Lead.codename)] = Field(
        "", description="Blank or missing: a codename is suggested.")
    registration_number: Annotated[str, *text(Lead.registration_number)] | None = None
    source: Source
    received_on: Annotated[date, *a_date("received")] = Field(
        NOT_GIVEN, description="Missing: today.")
    sector: Annotated[str, *text(Lead.sector)] | None = None
    confidential: bool = False
    confidential_basis: Annotated[str, *text(Lead.confidential_basis)] | None = None
    description: Annotated[str, *text(Lead.description, multiline=True)] | None = None
    requirements: LeadRequirementsInput = NOT_GIVEN
    expected_jobs: Jobs | None = None
    investment_msek: Investment | None = None
    company: CompanyInput | None = None
    company_id: Id = NOT_GIVEN


class ActivityInput(ApiInput):
    kind: NoteKind
    body: Annotated[str, *text(Activity.body, multiline=True, required=True)]
    internal: bool = Field(True, description="Hidden from anonymised shares (default true).")
    at: Annotated[datetime, *a_datetime("activity")] | None = None
    mentions: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=20,
        description="Ids of users the text mentions (\"@Name\"): each must be able to read "
                    "the activity (internal: the lead's own municipality), else 422; each "
                    "is notified.")


class FollowUpInput(ApiInput):
    title: Annotated[str, *text(FollowUp.title, required=True)]
    due_on: Annotated[date, *a_date("follow_up")]
    remind_at: Annotated[datetime, *a_datetime("follow_up")] | None = None
    assignee_id: Id = NOT_GIVEN


class ShareBasisInput(ApiInput):
    """Why a confidential lead may be shared in full: the company's consent (OSL 12:2) or
    a secrecy review; `reason` is required for a review."""
    kind: ShareBasis = NOT_GIVEN
    by: Annotated[str, *text(LeadShare.basis_by)] = NOT_GIVEN
    on: Annotated[date, *a_date("basis_on")] = NOT_GIVEN
    reason: Annotated[str, *text(LeadShare.basis_reason, multiline=True)] | None = None


class ShareInput(ApiInput):
    municipalities: list[Slug] = Field(min_length=1)
    level: ShareLevel
    basis: ShareBasisInput | None = None


INPUT_MODELS = (LeadInput, LeadPatch, ActivityInput, FollowUpInput, ShareInput)

# --- into the services' values -------------------------------------------------------------

SIMPLE_FIELDS = ("codename", "registration_number", "source", "received_on", "sector",
                 "confidential", "confidential_basis", "description", "expected_jobs",
                 "investment_msek")
REQUIREMENT_COLUMNS = {  # requirement -> ({part: column}, column of must)
    "land_area": ({"min": "land_min_m2", "max": "land_max_m2"}, "land_must"),
    "contiguous_area": ({"value": "contiguous_m2"}, "contiguous_must"),
    "building_area": ({"value": "building_m2"}, "building_must"),
    "rail_siding": ({"value": "rail_siding"}, "rail_must"),
    "motorway_km": ({"value": "motorway_km_max"}, "motorway_must"),
    "terminal_km": ({"value": "terminal_km_max"}, "terminal_must"),
    "airport_km": ({"value": "airport_km_max"}, "airport_must"),
    "power_mw": ({"value": "power_mw"}, "power_must"),
    "water_sewage": ({"value": "water_sewage"}, "water_must"),
    "preferred_municipalities": ({"value": "preferred_municipalities"}, "preferred_must"),
    "desired_start": ({"value": "desired_start"}, "start_must"),
    "price_max": ({"value": "price_max_sek_m2"}, "price_must"),
    # These two qualify another criterion: their must is that criterion's.
    "rail_accept_possible": ({"value": "rail_accept_possible"}, "rail_must"),
    "power_lead_time_months": ({"value": "power_lead_time_months"}, "power_must"),
}
# service field name -> API path, for the services' field errors (a shared must: the first)
FIELD_PATHS = {column: f"requirements.{key}.{part}"
               for key, (parts, _must) in REQUIREMENT_COLUMNS.items()
               for part, column in parts.items()}
for _key, (_parts, _must) in reversed(REQUIREMENT_COLUMNS.items()):
    FIELD_PATHS[_must] = f"requirements.{_key}.must"
FIELD_PATHS |= {f"company_{name}": f"company.{name}"
                for name in ("name", "orgnr", "country", "sector", "website")}
FIELD_PATHS |= {"link_company_id": "company_id", "basis": "basis.kind", "basis_by": "basis.by",
                "basis_on": "basis.on", "basis_reason": "basis.reason"}


def lead_values(data: LeadInput | LeadPatch) -> dict[str, Any]:
    """The given fields as Lead columns (commands.EDITABLE_FIELDS names)."""
    values = {name: getattr(data, name) for name in SIMPLE_FIELDS
              if name in data.model_fields_set}
    if "codename" in values:
        values["codename"] = values["codename"] or ""
    if "requirements" in data.model_fields_set:
        for key, (parts, must) in REQUIREMENT_COLUMNS.items():
            item = getattr(data.requirements, key)
            if key not in data.requirements.model_fields_set:
                continue
            for part, column in parts.items():
                if part in item.model_fields_set:
                    values[column] = getattr(item, part)
            if "must" in item.model_fields_set:
                if values.get(must, item.must) != item.must:
                    raise invalid({f"requirements.{key}.must": [_(
                        "Must be the same as the must of the criterion it qualifies.")]})
                values[must] = item.must
    if "rail_accept_possible" in values:
        values["rail_accept_possible"] = bool(values["rail_accept_possible"])
    if "preferred_municipalities" in values:
        chosen = set(values["preferred_municipalities"] or [])
        values["preferred_municipalities"] = ",".join(
            slug for slug in municipality_slugs() if slug in chosen) or None
    return values


def company_values(company: CompanyInput) -> dict[str, Any]:
    return company.model_dump()


def stage_data(data: LeadPatch, lead: Lead) -> dict[str, Any]:
    """What stages.change_stage takes; jobs and investment default to the stored ones."""
    given = data.model_fields_set
    return {"lost_reason": data.lost_reason.value if data.lost_reason else None,
            "lost_comment": data.lost_comment or "",
            "decided_on": data.decided_on,
            "expected_jobs": data.expected_jobs if "expected_jobs" in given
            else lead.expected_jobs,
            "investment_msek": data.investment_msek if "investment_msek" in given
            else lead.investment_msek}


def share_basis(basis: ShareBasisInput | None) -> dict[str, Any] | None:
    """`basis` as app.leads.secrecy.checked_basis takes it."""
    if basis is None:
        return None
    return {"basis": basis.kind.value if basis.kind else None, "basis_by": basis.by,
            "basis_on": basis.on, "basis_reason": basis.reason}
