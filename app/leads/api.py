"""JSON API v1 for leads and companies. Request bodies are the pydantic models of
app/leads/api_inputs.py (the same input rules as the pages' forms), and the same services
apply scope, share levels, stage rules, locking and audit."""

from __future__ import annotations

from typing import Any, Literal, cast

from flask import jsonify, request
from flask_babel import gettext as _

from app import input_rules
from app.api.auth import api_user
from app.api.common import ApiError, page_args, paginated
from app.api.common import make_api_blueprint as _make
from app.api.inputs import invalid, parse_body, query_text
from app.api.outputs import dump
from app.core.service import municipality_slugs
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads import (
    access,
    api_inputs,
    commands,
    companies,
    followups,
    queries,
    sharing,
    stages,
)
from app.leads import api_outputs as out
from app.leads.api_inputs import ActivityInput, FollowUpInput, LeadInput, LeadPatch, ShareInput
from app.leads.api_schema import register
from app.leads.models import Activity, Company, FollowUp, Lead, LeadShare, Stage
from app.locking import StaleVersion

bp = _make("leads_api", __name__)
SEARCH_MAX = 200  # characters of `q` on /leads (documented; longer is 422, not cut)
register()


# --- JSON out --------------------------------------------------------------------------


def company_out(company: Company) -> out.Company:
    return out.Company(id=company.id, name=company.name, municipality=company.municipality.slug,
                       orgnr=company.orgnr, country=company.country, sector=company.sector,
                       website=company.website)


def requirements_out(lead: Lead) -> out.LeadRequirements:
    return out.LeadRequirements(
        land_area=out.StatedLandArea(min=lead.land_min_m2, max=lead.land_max_m2,
                                     must=lead.land_must),
        contiguous_area=out.StatedInteger(value=lead.contiguous_m2, must=lead.contiguous_must),
        building_area=out.StatedInteger(value=lead.building_m2, must=lead.building_must),
        rail_siding=out.StatedBoolean(value=lead.rail_siding, must=lead.rail_must),
        rail_accept_possible=out.StatedBoolean(value=lead.rail_accept_possible,
                                               must=lead.rail_must),
        motorway_km=out.StatedNumber(value=lead.motorway_km_max, must=lead.motorway_must),
        terminal_km=out.StatedNumber(value=lead.terminal_km_max, must=lead.terminal_must),
        airport_km=out.StatedNumber(value=lead.airport_km_max, must=lead.airport_must),
        power_mw=out.StatedNumber(value=lead.power_mw, must=lead.power_must),
        power_lead_time_months=out.StatedInteger(value=lead.power_lead_time_months,
                                                 must=lead.power_must),
        water_sewage=out.StatedBoolean(value=lead.water_sewage, must=lead.water_must),
        preferred_municipalities=out.StatedMunicipalities(value=lead.preferred_slugs,
                                                          must=lead.preferred_must),
        desired_start=out.StatedDate(value=lead.desired_start, must=lead.start_must),
        price_max=out.StatedInteger(value=lead.price_max_sek_m2, must=lead.price_must))


def share_out(share: LeadShare) -> out.LeadShare:
    """A share as its owners see it, with the recorded basis of a full share of a
    confidential lead (null otherwise)."""
    basis = None
    if share.basis is not None and share.basis_on is not None:
        basis = out.RecordedShareBasis(kind=share.basis, by=share.basis_by or "",
                                       on=share.basis_on, reason=share.basis_reason)
    return out.LeadShare(municipality=share.municipality.slug, level=share.level,
                         response=share.response, response_comment=share.response_comment,
                         responded_at=share.responded_at, basis=basis)


def lead_out(lead: Lead, level: str | None) -> out.Lead:
    """A lead; company, description and registration number only when the share level
    allows them (omitted otherwise, not null)."""
    body = out.Lead(
        id=lead.id, codename=lead.codename, stage=lead.stage,
        municipality=lead.municipality.slug,
        owner=out.Owner(id=lead.owner.id, name=lead.owner.name), source=lead.source,
        received_on=lead.received_on, sector=lead.sector, confidential=lead.confidential,
        confidential_basis=lead.confidential_basis,
        confidential_marked_at=lead.confidential_marked_at,
        share_level=cast(Literal["owner", "full", "anonymised"], level),
        requirements=requirements_out(lead), expected_jobs=lead.expected_jobs,
        investment_msek=lead.investment_msek, version=lead.version,
        stage_changed_at=lead.stage_changed_at, lost_reason=lead.lost_reason,
        decided_on=lead.decided_on)
    if access.shows_company(level):
        body.company = company_out(lead.company) if lead.company else None
        body.description = lead.description
        body.registration_number = lead.registration_number
    return body


def lead_json(lead: Lead, level: str | None) -> dict[str, Any]:
    return dump(lead_out(lead, level))


def activity_json(activity: Activity) -> dict[str, Any]:
    return dump(out.Activity(id=activity.id, lead_id=activity.lead_id, kind=activity.kind,
                             body=activity.body, internal=activity.internal, at=activity.at,
                             author_id=activity.author_id,
                             mentions=[mention.user_id for mention in activity.mentions]))


def followup_json(followup: FollowUp) -> dict[str, Any]:
    return dump(out.FollowUp(id=followup.id, lead_id=followup.lead_id, title=followup.title,
                             due_on=followup.due_on, remind_at=followup.remind_at,
                             assignee_id=followup.assignee_id, done_at=followup.done_at))


# --- JSON in: the models of app/leads/api_inputs.py -------------------------------------------


def _company_for(data: LeadInput | LeadPatch, user) -> Company | None:
    """The company to link: one of the user's own municipality's register (another
    municipality's company answers exactly like an id that does not exist), or a new one."""
    if "company_id" in data.model_fields_set:
        company = companies.get_own_company(user, data.company_id)
        if company is None:
            raise invalid({"company_id": [_("Unknown company.")]})
        return company
    if data.company is not None:
        return companies.build_company(api_inputs.company_values(data.company))
    return None


def _validation_error(error: FieldErrors) -> ApiError:
    db.session.rollback()
    return invalid({api_inputs.FIELD_PATHS.get(k, k): v for k, v in error.fields.items()})


def _visible_lead(lead_id: int) -> Lead:
    lead = queries.get_lead(api_user(), lead_id)
    if lead is None:
        raise ApiError(404, "No such lead.")
    return lead


# --- endpoints ------------------------------------------------------------------------------


@bp.get("/leads")
def list_leads():
    user = api_user()
    page, per_page = page_args()
    stage = request.args.getlist("stage")
    choices = {"stage": [s.value for s in Stage], "municipality": municipality_slugs(),
               "sort": queries.SORTS, "scope": queries.LEAD_SCOPES}
    unknown = {name: [_("Not a valid choice.")] for name, allowed in choices.items()
               if any(value not in allowed for value in request.args.getlist(name))}
    if unknown:
        raise invalid(unknown)
    filters = queries.LeadFilters(
        stage=stage, municipality=request.args.get("municipality") or None,
        q=query_text("q", SEARCH_MAX), sort=request.args.get("sort") or "received_desc",
        scope=request.args.get("scope") or None)
    statement = queries.lead_query(user, filters)
    result = paginated(statement, lambda lead: lead, page, per_page)
    leads = result["items"]
    levels = access.share_levels(user, leads)
    queries.record_views(user, leads, "lead.listed_confidential")
    return jsonify(dump(out.LeadPage(
        items=[lead_out(lead, levels.get(lead.id)) for lead in leads], page=result["page"],
        per_page=result["per_page"], total=result["total"])))


@bp.post("/leads")
def create_lead():
    user = api_user()
    if not user.is_advisor:
        raise ApiError(403, "Only advisors create leads.")
    data = parse_body(LeadInput)
    company = _company_for(data, user)
    try:
        lead = commands.create_lead(user, api_inputs.lead_values(data), company)
    except FieldErrors as error:
        raise _validation_error(error) from None
    body = lead_out(lead, access.share_level_for(user, lead))
    # other municipalities' open, non-confidential matters with the same organisation number
    body.regional_hints = companies.regional_hints(user, lead.company.orgnr if lead.company
                                                   else None)
    return jsonify(dump(body)), 201


@bp.get("/leads/<int:lead_id>")
def get_lead(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    queries.record_view(user, lead)
    level = access.share_level_for(user, lead)
    body = lead_out(lead, level)
    if level == access.OWNER:
        body.shares = [share_out(share) for share in lead.shares]
    return jsonify(dump(body))


@bp.patch("/leads/<int:lead_id>")
def patch_lead(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not access.can_edit(user, lead):
        raise ApiError(403, "You may not edit this lead.")
    data = parse_body(LeadPatch)
    given = data.model_fields_set
    edits = given - {"version", "stage", "lost_reason", "lost_comment", "decided_on"}
    changes_stage = "stage" in given and data.stage != lead.stage
    # Everything is checked before anything is written, and the edit and the stage change
    # are one transaction: a refused PATCH changes nothing (not even the version).
    company = _company_for(data, user) if edits & {"company", "company_id"} else None
    version = data.version
    try:
        if edits:
            commands.update_lead(user, lead, version, api_inputs.lead_values(data),
                                company=company,
                                unlink_company="company" in given and data.company is None,
                                commit=False)
            version = lead.version
        if changes_stage:
            stages.change_stage(user, lead, version, data.stage.value,
                                 api_inputs.stage_data(data, lead), commit=False)
        db.session.commit()
    except StaleVersion as stale:
        db.session.rollback()
        raise ApiError(409, "Someone else changed this lead in the meantime.",
                       {"version": [f"The stored version is {stale.current.version}."]}) from None
    except FieldErrors as error:
        raise _validation_error(error) from None
    return jsonify(lead_json(lead, access.share_level_for(user, lead)))


@bp.post("/leads/<int:lead_id>/activities")
def add_activity(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not access.can_contribute(user, lead):
        raise ApiError(403, "You may not add activities to this lead.")
    data = parse_body(ActivityInput)
    try:
        activity = commands.add_activity(user, lead, data.kind.value, data.body, data.internal,
                                         at=data.at, mentioned=list(dict.fromkeys(data.mentions)))
    except FieldErrors as error:
        raise _validation_error(error) from None
    return jsonify(activity_json(activity)), 201


@bp.post("/leads/<int:lead_id>/followups")
def add_followup(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not access.can_contribute(user, lead):
        raise ApiError(403, "You may not add follow-ups to this lead.")
    data = parse_body(FollowUpInput)
    try:
        followup = followups.add_followup(user, lead, data.title, data.due_on,
                                          data.assignee_id, data.remind_at)
    except FieldErrors as error:
        raise _validation_error(error) from None
    return jsonify(followup_json(followup)), 201


@bp.post("/leads/<int:lead_id>/shares")
def share_lead(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not access.can_edit(user, lead):
        raise ApiError(403, "Only the owning municipality's advisors share a lead.")
    data = parse_body(ShareInput)
    slugs = list(dict.fromkeys(data.municipalities))
    try:
        sharing.share_lead(user, lead, slugs, data.level.value,
                           api_inputs.share_basis(data.basis))
    except FieldErrors as error:
        raise _validation_error(error) from None
    return jsonify(dump(out.LeadShares(items=[share_out(share) for share in lead.shares]))), 201


@bp.get("/companies")
def list_companies():
    user = api_user()
    page, per_page = page_args()
    if "orgnr" not in request.args:
        raise ApiError(400, "The orgnr query parameter is required.")
    try:
        orgnr = input_rules.clean_orgnr(request.args["orgnr"])
    except input_rules.InputRejected as error:
        raise invalid({"orgnr": [str(error.message)]}) from None
    if orgnr is None:
        raise invalid({"orgnr": [_("This field is required.")]})
    result = paginated(companies.companies_by_orgnr(user, orgnr), company_out, page, per_page)
    return jsonify(dump(out.CompanyPage(**result)))
