"""What the lead endpoints answer, as pydantic models: app/leads/api.py builds every answer
through them (app.api.outputs.dump), and the OpenAPI document's response schemas are generated from
them (app/leads/api_schema.py), so the document cannot drift from the answers.

A field without a default is always present (null where its type allows); a field with a
default is present only when the share level shows it (company, description,
registration number) or the endpoint gives it (shares, regional hints).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from app.api.outputs import ApiOutput, Instant
from app.leads.models import (
    ActivityKind,
    LostReason,
    ShareBasis,
    ShareLevel,
    ShareResponse,
    Source,
    Stage,
)


class Owner(ApiOutput):
    id: int
    name: str


class Company(ApiOutput):
    id: int
    name: str
    municipality: str = Field(description="The municipality whose register holds it (the "
                                          "same organisation number may be in several).")
    orgnr: Annotated[str, Field(pattern=r"^\d{6}-\d{4}$")] | None
    country: str
    sector: str | None
    website: str | None


class StatedLandArea(ApiOutput):
    min: int | None
    max: int | None
    must: bool


class StatedInteger(ApiOutput):
    value: int | None
    must: bool


class StatedBoolean(ApiOutput):
    value: bool | None
    must: bool


class StatedNumber(ApiOutput):
    value: float | None
    must: bool


class StatedMunicipalities(ApiOutput):
    value: list[str] = Field(description="Municipality slugs.")
    must: bool


class StatedDate(ApiOutput):
    value: date | None
    must: bool


class LeadRequirements(ApiOutput):
    """rail_accept_possible and power_lead_time_months qualify the rail and power criteria:
    their `must` is that criterion's."""
    land_area: StatedLandArea
    contiguous_area: StatedInteger
    building_area: StatedInteger
    rail_siding: StatedBoolean
    rail_accept_possible: StatedBoolean
    motorway_km: StatedNumber
    terminal_km: StatedNumber
    airport_km: StatedNumber
    power_mw: StatedNumber
    power_lead_time_months: StatedInteger
    water_sewage: StatedBoolean
    preferred_municipalities: StatedMunicipalities
    desired_start: StatedDate
    price_max: StatedInteger


class RecordedShareBasis(ApiOutput):
    """Why a confidential lead may be shared in full: the company's consent (OSL 12:2) or
    a secrecy review."""

    kind: ShareBasis
    by: str
    on: date
    reason: str | None


class LeadShare(ApiOutput):
    municipality: str
    level: ShareLevel
    response: ShareResponse | None
    response_comment: str | None
    responded_at: Instant | None
    basis: RecordedShareBasis | None


class Lead(ApiOutput):
    id: int
    codename: str
    stage: Stage
    municipality: str
    owner: Owner
    source: Source
    received_on: date
    sector: str | None
    confidential: bool
    confidential_basis: str | None
    confidential_marked_at: Instant | None
    share_level: Literal["owner", "full", "anonymised"]
    requirements: LeadRequirements
    expected_jobs: int | None
    investment_msek: float | None
    version: int
    stage_changed_at: Instant
    lost_reason: LostReason | None
    decided_on: date | None
    company: Company | None = None
    description: str | None = None
    registration_number: str | None = None
    shares: list[LeadShare] = Field(default_factory=list)
    regional_hints: list[str] = Field(
        default_factory=list,
        description="Only when creating: other municipalities' open, non-confidential "
                    "matters with the same organisation number.")


class Activity(ApiOutput):
    id: int
    lead_id: int
    kind: ActivityKind
    body: str
    internal: bool
    at: Instant
    author_id: int | None
    mentions: list[int] = Field(default_factory=list,
                                description="The ids of the users the text mentions.")


class FollowUp(ApiOutput):
    id: int
    lead_id: int
    title: str
    due_on: date
    remind_at: Instant | None
    assignee_id: int
    done_at: Instant | None


class LeadPage(ApiOutput):
    items: list[Lead]
    page: int
    per_page: int
    total: int


class CompanyPage(ApiOutput):
    items: list[Company]
    page: int
    per_page: int
    total: int


class LeadShares(ApiOutput):
    items: list[LeadShare]


OUTPUT_MODELS = (Lead, LeadPage, LeadShare, LeadShares, Company, CompanyPage, Activity,
                 FollowUp)
