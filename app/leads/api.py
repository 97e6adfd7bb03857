"""JSON API v1 for leads and companies. The JSON fills the same forms as the pages,
and the same services apply scope, share levels, stage rules, locking and audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import jsonify, request
from werkzeug.datastructures import MultiDict

from app.api.auth import api_user
from app.api.common import ApiError, json_body, page_args, paginated
from app.api.common import make_api_blueprint as _make
from app.extensions import db
from app.i18n import from_local
from app.leads import companies, followups, labels, service, sharing
from app.leads.api_schema import register
from app.leads.forms import ActivityForm, FollowUpForm, LeadForm, StageForm, clean_text, storable
from app.leads.models import Activity, Company, FollowUp, Lead, LeadShare
from app.locking import StaleVersion

bp = _make("leads_api", __name__)
register()


# --- JSON out --------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def company_json(company: Company) -> dict[str, Any]:
    return {"id": company.id, "name": company.name, "municipality": company.municipality.slug,
            "orgnr": company.orgnr,
            "country": company.country, "sector": company.sector, "website": company.website}


def requirements_json(lead: Lead) -> dict[str, Any]:
    return {
        "land_area": {"min": lead.land_min_m2, "max": lead.land_max_m2, "must": lead.land_must},
        "building_area": {"value": lead.building_m2, "must": lead.building_must},
        "rail_siding": {"value": lead.rail_siding, "must": lead.rail_must},
        "motorway_km": {"value": lead.motorway_km_max, "must": lead.motorway_must},
        "terminal_km": {"value": lead.terminal_km_max, "must": lead.terminal_must},
        "power_mw": {"value": lead.power_mw, "must": lead.power_must},
        "water_sewage": {"value": lead.water_sewage, "must": lead.water_must},
        "preferred_municipalities": {"value": lead.preferred_slugs, "must": lead.preferred_must},
        "desired_start": {"value": _iso(lead.desired_start), "must": lead.start_must},
    }


def share_json(share: LeadShare) -> dict[str, Any]:
    """A share as its owners see it, with the recorded basis of a full share of a
    confidential lead (null otherwise)."""
    basis = None if share.basis is None else {
        "kind": share.basis.value, "by": share.basis_by, "on": _iso(share.basis_on),
        "reason": share.basis_reason}
    return {"municipality": share.municipality.slug, "level": share.level.value,
            "response": share.response.value if share.response else None,
            "response_comment": share.response_comment, "responded_at": _iso(share.responded_at),
            "basis": basis}


def lead_json(lead: Lead, level: str | None) -> dict[str, Any]:
    """A lead as JSON; company, description and registration number only when the
    share level allows them (omitted otherwise, not null)."""
    body: dict[str, Any] = {
        "id": lead.id, "codename": lead.codename, "stage": lead.stage.value,
        "municipality": lead.municipality.slug,
        "owner": {"id": lead.owner.id, "name": lead.owner.name},
        "source": lead.source.value, "received_on": _iso(lead.received_on),
        "sector": lead.sector, "confidential": lead.confidential,
        "confidential_basis": lead.confidential_basis,
        "confidential_marked_at": _iso(lead.confidential_marked_at), "share_level": level,
        "requirements": requirements_json(lead), "expected_jobs": lead.expected_jobs,
        "investment_msek": lead.investment_msek, "version": lead.version,
        "stage_changed_at": _iso(lead.stage_changed_at),
        "lost_reason": lead.lost_reason.value if lead.lost_reason else None,
        "decided_on": _iso(lead.decided_on),
    }
    if service.shows_company(level):
        body["company"] = company_json(lead.company) if lead.company else None
        body["description"] = lead.description
        body["registration_number"] = lead.registration_number
    return body


def activity_json(activity: Activity) -> dict[str, Any]:
    return {"id": activity.id, "lead_id": activity.lead_id, "kind": activity.kind.value,
            "body": activity.body, "internal": activity.internal, "at": _iso(activity.at),
            "author_id": activity.author_id}


def followup_json(followup: FollowUp) -> dict[str, Any]:
    return {"id": followup.id, "lead_id": followup.lead_id, "title": followup.title,
            "due_on": _iso(followup.due_on), "remind_at": _iso(followup.remind_at),
            "assignee_id": followup.assignee_id, "done_at": _iso(followup.done_at)}


# --- JSON in: the same forms as the pages ----------------------------------------------------

STRING, INTEGER, NUMBER, BOOLEAN, DATE = "string", "integer", "number", "boolean", "date"
LEAD_FIELDS = {
    "codename": STRING, "registration_number": STRING, "source": STRING, "received_on": DATE,
    "sector": STRING, "confidential": BOOLEAN, "confidential_basis": STRING,
    "description": STRING, "expected_jobs": INTEGER,
    "investment_msek": NUMBER,
}
REQUIREMENTS = {  # requirement → (form field of value (or min/max), its type, form field of must)
    "land_area": ({"min": "land_min_m2", "max": "land_max_m2"}, INTEGER, "land_must"),
    "building_area": ({"value": "building_m2"}, INTEGER, "building_must"),
    "rail_siding": ({"value": "rail_siding"}, "yes_no", "rail_must"),
    "motorway_km": ({"value": "motorway_km_max"}, NUMBER, "motorway_must"),
    "terminal_km": ({"value": "terminal_km_max"}, NUMBER, "terminal_must"),
    "power_mw": ({"value": "power_mw"}, NUMBER, "power_must"),
    "water_sewage": ({"value": "water_sewage"}, "yes_no", "water_must"),
    "preferred_municipalities": ({"value": "preferred_municipalities"}, "slugs", "preferred_must"),
    "desired_start": ({"value": "desired_start"}, DATE, "start_must"),
}
COMPANY_FIELDS = ("name", "orgnr", "country", "sector", "website")
FIELD_NAMES = {form_field: f"requirements.{key}.{part}"
               for key, (parts, _kind, must) in REQUIREMENTS.items()
               for part, form_field in parts.items()}
FIELD_NAMES |= {must: f"requirements.{key}.must" for key, (_p, _k, must) in REQUIREMENTS.items()}
FIELD_NAMES |= {f"company_{name}": f"company.{name}" for name in COMPANY_FIELDS}
FIELD_NAMES |= {"link_company_id": "company_id", "basis": "basis.kind", "basis_by": "basis.by",
                "basis_on": "basis.on", "basis_reason": "basis.reason"}


class _Input:
    """Collects form data from JSON values, with type errors per field."""

    def __init__(self) -> None:
        self.data = MultiDict()
        self.errors: dict[str, list[str]] = {}

    def put(self, form_name: str, api_name: str, kind: str, value: Any) -> None:
        self.data.poplist(form_name)
        if value is None:
            return
        wrong = {
            STRING: not isinstance(value, str), DATE: not isinstance(value, str),
            INTEGER: isinstance(value, bool) or not isinstance(value, int),
            NUMBER: isinstance(value, bool) or not isinstance(value, int | float),
            BOOLEAN: not isinstance(value, bool), "yes_no": not isinstance(value, bool),
            "slugs": not (isinstance(value, list) and all(isinstance(v, str) for v in value)),
        }[kind]
        if wrong:
            self.errors[api_name] = [f"Must be a {kind.replace('_', '/')}."]
        elif kind == BOOLEAN:
            if value:
                self.data[form_name] = "y"
        elif kind == "yes_no":
            self.data[form_name] = labels.yes_no_data(value)
        elif kind == "slugs":
            self.data.setlist(form_name, value)
        else:
            self.data[form_name] = str(value)


def _lead_formdata(body: dict[str, Any], lead: Lead | None) -> tuple[MultiDict, dict]:
    given = _Input()
    if lead is not None:  # PATCH: start from the stored values
        for name in service.EDITABLE_FIELDS:
            value = getattr(lead, name)
            if name in ("rail_siding", "water_sewage"):
                given.put(name, name, "yes_no", value)
            elif name == "preferred_municipalities":
                given.put(name, name, "slugs", lead.preferred_slugs)
            elif isinstance(value, bool):
                given.put(name, name, BOOLEAN, value)
            elif value is not None:
                given.data[name] = value.isoformat() if isinstance(value, date) else str(
                    value.value if hasattr(value, "value") else value)
    for name, kind in LEAD_FIELDS.items():
        if name in body:
            given.put(name, name, kind, body[name])
    requirements = body.get("requirements", {})
    if not isinstance(requirements, dict):
        given.errors["requirements"] = ["Must be an object."]
        requirements = {}
    for key, (parts, kind, must) in REQUIREMENTS.items():
        item = requirements.get(key)
        if item is None:
            continue
        if not isinstance(item, dict):
            given.errors[f"requirements.{key}"] = ["Must be an object."]
            continue
        for part, form_name in parts.items():
            if part in item:
                given.put(form_name, f"requirements.{key}.{part}", kind, item[part])
        if "must" in item:
            given.put(must, f"requirements.{key}.must", BOOLEAN, item["must"])
    if "company_id" in body:
        given.put("link_company_id", "company_id", INTEGER, body["company_id"])
    company = body.get("company")
    if company is not None:
        if not isinstance(company, dict):
            given.errors["company"] = ["Must be an object."]
        else:
            for name in COMPANY_FIELDS:
                given.put(f"company_{name}", f"company.{name}", STRING, company.get(name))
            given.data["create_anyway"] = "y"
    return given.data, given.errors


def _form_errors(form) -> dict[str, list[str]]:
    return {FIELD_NAMES.get(name, name): [str(m) for m in messages]
            for name, messages in form.errors.items()}


def _validated_lead_form(body: dict[str, Any], lead: Lead | None) -> LeadForm:
    data, type_errors = _lead_formdata(body, lead)
    if type_errors:
        raise ApiError(422, "Some fields need attention.", type_errors)
    if "source" not in data:
        data["source"] = ""
    form = LeadForm(formdata=data, meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, "Some fields need attention.", _form_errors(form))
    return form


def _company_for(form: LeadForm, user) -> Company | None:
    """The company to link: one of the user's own municipality's register (another
    municipality's company answers exactly like an id that does not exist), or a new one."""
    link = form.link_company_id.data
    if link:
        company = companies.get_own_company(user, int(link)) if link.isdigit() else None
        if company is None:
            raise ApiError(422, "Some fields need attention.", {"company_id": ["Unknown company."]})
        return company
    values = form.company_values()
    return companies.build_company(values) if values else None


def _validation_error(error: service.ValidationFailed) -> ApiError:
    db.session.rollback()
    return ApiError(422, "Some fields need attention.",
                    {FIELD_NAMES.get(k, k): v for k, v in error.fields.items()})


def _visible_lead(lead_id: int) -> Lead:
    lead = service.get_lead(api_user(), lead_id)
    if lead is None:
        raise ApiError(404, "No such lead.")
    return lead


# --- endpoints ------------------------------------------------------------------------------


@bp.get("/leads")
def list_leads():
    user = api_user()
    page, per_page = page_args()
    stage = request.args.getlist("stage")
    filters = service.LeadFilters(
        stage=stage, municipality=clean_text(request.args.get("municipality")) or None,
        q=(clean_text(request.args.get("q")) or "").strip()[:200] or None,
        sort=request.args.get("sort") or "received_desc")
    statement = service.lead_query(user, filters)
    result = paginated(statement, lambda lead: lead, page, per_page)
    leads = result["items"]
    levels = service.share_levels(user, leads)
    result["items"] = [lead_json(lead, levels.get(lead.id)) for lead in leads]
    service.record_views(user, leads, "lead.listed_confidential")
    return jsonify(result)


@bp.post("/leads")
def create_lead():
    user = api_user()
    if not user.is_advisor:
        raise ApiError(403, "Only advisors create leads.")
    form = _validated_lead_form(json_body(), None)
    company = _company_for(form, user)
    try:
        lead = service.create_lead(user, form.lead_values(), company)
    except service.ValidationFailed as error:
        raise _validation_error(error) from None
    body = lead_json(lead, service.share_level_for(user, lead))
    # other municipalities' open, non-confidential matters with the same organisation number
    body["regional_hints"] = companies.regional_hints(user, lead.company.orgnr if lead.company
                                                      else None)
    return jsonify(body), 201


@bp.get("/leads/<int:lead_id>")
def get_lead(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    service.record_view(user, lead)
    level = service.share_level_for(user, lead)
    body = lead_json(lead, level)
    if level == service.OWNER:
        body["shares"] = [share_json(share) for share in lead.shares]
    return jsonify(body)


@bp.patch("/leads/<int:lead_id>")
def patch_lead(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not service.can_edit(user, lead):
        raise ApiError(403, "You may not edit this lead.")
    body = json_body()
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ApiError(422, "Some fields need attention.", {"version": ["Required: the version "
                                                                        "you started from."]})
    stage = body.get("stage")
    if stage is not None and not isinstance(stage, str):
        raise ApiError(422, "Some fields need attention.", {"stage": ["Must be a string."]})
    edits = {key: value for key, value in body.items()
             if key not in ("version", "stage", "lost_reason", "lost_comment", "decided_on")}
    # Everything is checked before anything is written, and the edit and the stage change
    # are one transaction: a refused PATCH changes nothing (not even the version).
    changes_stage = stage is not None and stage != lead.stage.value
    stage_data = _stage_data(body, lead) if changes_stage else None
    form = _validated_lead_form(edits, lead) if edits else None
    company = _company_for(form, user) if form is not None and (
        "company" in edits or "company_id" in edits) else None
    try:
        if form is not None:
            service.update_lead(user, lead, version, form.lead_values(), company=company,
                                unlink_company="company" in edits and edits["company"] is None,
                                commit=False)
            version = lead.version
        if changes_stage:
            service.change_stage(user, lead, version, stage, stage_data, commit=False)
        db.session.commit()
    except StaleVersion as stale:
        db.session.rollback()
        raise ApiError(409, "Someone else changed this lead in the meantime.",
                       {"version": [f"The stored version is {stale.current.version}."]}) from None
    except service.ValidationFailed as error:
        raise _validation_error(error) from None
    return jsonify(lead_json(lead, service.share_level_for(user, lead)))


def _stage_data(body: dict[str, Any], lead: Lead) -> dict[str, Any]:
    data = MultiDict()
    given = _Input()
    given.put("lost_reason", "lost_reason", STRING, body.get("lost_reason"))
    given.put("lost_comment", "lost_comment", STRING, body.get("lost_comment"))
    given.put("decided_on", "decided_on", DATE, body.get("decided_on"))
    given.put("expected_jobs", "expected_jobs", INTEGER,
              body.get("expected_jobs", lead.expected_jobs))
    given.put("investment_msek", "investment_msek", NUMBER,
              body.get("investment_msek", lead.investment_msek))
    if given.errors:
        raise ApiError(422, "Some fields need attention.", given.errors)
    data = given.data
    data["stage"] = body["stage"] if body["stage"] in dict(labels.stage_choices()) else "new"
    form = StageForm(formdata=data, meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, "Some fields need attention.", _form_errors(form))
    return form.stage_data()


@bp.post("/leads/<int:lead_id>/activities")
def add_activity(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not service.can_contribute(user, lead):
        raise ApiError(403, "You may not add activities to this lead.")
    body = json_body()
    given = _Input()
    given.put("kind", "kind", STRING, body.get("kind"))
    given.put("body", "body", STRING, body.get("body"))
    given.put("internal", "internal", BOOLEAN, body.get("internal", True))
    if given.errors:
        raise ApiError(422, "Some fields need attention.", given.errors)
    at = _parse_datetime(body.get("at"), "at")
    form = ActivityForm(formdata=given.data, meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, "Some fields need attention.", _form_errors(form))
    try:
        activity = service.add_activity(user, lead, form.kind.data, form.body.data,
                                        form.internal.data, at=at)
    except service.ValidationFailed as error:
        raise _validation_error(error) from None
    return jsonify(activity_json(activity)), 201


@bp.post("/leads/<int:lead_id>/followups")
def add_followup(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not service.can_contribute(user, lead):
        raise ApiError(403, "You may not add follow-ups to this lead.")
    body = json_body()
    given = _Input()
    given.put("title", "title", STRING, body.get("title"))
    given.put("due_on", "due_on", DATE, body.get("due_on"))
    given.put("assignee_id", "assignee_id", INTEGER, body.get("assignee_id"))
    if given.errors:
        raise ApiError(422, "Some fields need attention.", given.errors)
    remind_at = _parse_datetime(body.get("remind_at"))
    form = FollowUpForm(formdata=given.data, meta={"csrf": False})
    form.assignee_id.choices = []
    if not form.validate():
        raise ApiError(422, "Some fields need attention.", _form_errors(form))
    try:
        followup = followups.add_followup(user, lead, form.title.data, form.due_on.data,
                                          form.assignee_id.data or None, remind_at)
    except service.ValidationFailed as error:
        raise _validation_error(error) from None
    return jsonify(followup_json(followup)), 201


def _parse_datetime(value: Any, name: str = "remind_at") -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or not 1900 <= parsed.year <= 9999:
        raise ApiError(422, "Some fields need attention.",
                       {name: ["Must be a date-time (ISO 8601)."]})
    return from_local(parsed) if parsed.tzinfo is None else parsed


@bp.post("/leads/<int:lead_id>/shares")
def share_lead(lead_id: int):
    user = api_user()
    lead = _visible_lead(lead_id)
    if not service.can_edit(user, lead):
        raise ApiError(403, "Only the owning municipality's advisors share a lead.")
    body = json_body()
    slugs = body.get("municipalities", [body["municipality"]] if "municipality" in body else [])
    level = body.get("level")
    errors = {}
    if not (isinstance(slugs, list) and all(isinstance(s, str) and storable(s) for s in slugs)):
        errors["municipalities"] = ["Must be a list of municipality slugs."]
    if not isinstance(level, str):
        errors["level"] = ["Must be anonymised or full."]
    basis = _share_basis(body.get("basis"), errors)
    if errors:
        raise ApiError(422, "Some fields need attention.", errors)
    try:
        sharing.share_lead(user, lead, slugs, level, basis)
    except service.ValidationFailed as error:
        raise _validation_error(error) from None
    return jsonify({"items": [share_json(share) for share in lead.shares]}), 201


def _share_basis(raw: Any, errors: dict[str, list[str]]) -> dict[str, Any] | None:
    """`basis` of a share as app.leads.secrecy.checked_basis takes it (its API names:
    kind, by, on, reason); type errors go into `errors`."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        errors["basis"] = ["Must be an object with kind, by, on and reason."]
        return None
    for name in ("kind", "by", "on", "reason"):
        if raw.get(name) is not None and not (isinstance(raw[name], str) and storable(raw[name])):
            errors[f"basis.{name}"] = ["Must be a string."]
    on = raw.get("on")
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on)
        except ValueError:
            errors["basis.on"] = ["Must be a date (YYYY-MM-DD)."]
    return {"basis": raw.get("kind"), "basis_by": raw.get("by"), "basis_on": on,
            "basis_reason": raw.get("reason")}


@bp.get("/companies")
def list_companies():
    user = api_user()
    page, per_page = page_args()
    raw = clean_text(request.args.get("orgnr"))
    if not raw:
        raise ApiError(400, "The orgnr query parameter is required.")
    try:
        orgnr = companies.normalise_orgnr(raw)
    except companies.OrgnrError as error:
        raise ApiError(422, "Some fields need attention.", {"orgnr": [str(error)]}) from None
    return jsonify(paginated(companies.companies_by_orgnr(user, orgnr), company_json,
                             page, per_page))
