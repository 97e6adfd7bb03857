"""Lead pages: thin views that parse, call a service and render."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from app.auth.service import advisor_options
from app.clock import local_today
from app.core.service import municipality_names
from app.errors import handle_http_error
from app.exports import service as exports_service
from app.exports.files import CsvDialect, file_name
from app.exports.models import ExportKind
from app.exports.streaming import stream_for
from app.exports.tasks import start_export
from app.extensions import db
from app.flashing import flash_field_errors, flash_form_errors
from app.i18n import from_local, local_dates
from app.input_rules import FieldErrors, whole_number
from app.leads import (
    access,
    cards,
    commands,
    companies,
    deletion,
    errors,
    export,
    followups,
    history,
    inquiries,
    labels,
    mentions,
    queries,
    sharing,
    stages,
)
from app.leads.forms import (
    ActivityForm,
    CompanyForm,
    ContactForm,
    DoneForm,
    FollowUpForm,
    HandoverForm,
    LeadForm,
    MergeForm,
    ResponseForm,
    RevokeForm,
    ShareForm,
    StageForm,
    TokenForm,
    clean_text,
)
from app.leads.handover import handover_by_ids, handover_people
from app.leads.models import Activity, Company, Contact, FollowUp, Lead, LeadShare
from app.leads.pipeline import pipeline as pipeline_columns
from app.leads.rows import render_rows
from app.locking import StaleVersion, submitted_version
from app.redirects import safe_next
from app.submissions import AlreadySaved, already_saved, earlier, recording, violates

bp = Blueprint("leads", __name__)


@bp.errorhandler(errors.PermissionDenied)
def _permission_denied(_error):
    return handle_http_error(Forbidden())


def template_helpers() -> dict[str, Any]:
    return {
        "stage_label": labels.stage_label,
        "lead_title": labels.lead_title,
        "stage_choices_all": labels.stage_choices,
        "stage_names": lambda: labels.translated(labels.STAGE_LABELS),
        "source_choices_all": labels.source_choices,
        "source_label": lambda value: labels.label(labels.SOURCE_LABELS, value),
        "lost_reason_label": lambda value: labels.label(labels.LOST_REASON_LABELS, value),
        "share_level_label": lambda value: labels.label(labels.LEVEL_LABELS, value),
        "share_basis_label": lambda value: labels.label(labels.SHARE_BASIS_LABELS, value),
        "response_label": lambda value: labels.label(labels.RESPONSE_LABELS, value),
        "activity_label": lambda value: labels.label(labels.ACTIVITY_LABELS, value),
        "share_event_text": labels.share_event_text,
        "can_mark_done": followups.can_mark_done,
        "history_lines": history.history_lines,
        "yes_no_label": lambda value: "" if value is None else (_("Yes") if value else _("No")),
        "municipality_options": municipality_names,
        "municipality_names": lambda slugs: ", ".join(municipality_names().get(s, s)
                                                       for s in slugs),
    }


def _apply_errors(form, fields: dict[str, list[str]]) -> None:
    for name, messages in fields.items():
        target = getattr(form, name, None) or getattr(form, f"company_{name}", None)
        if target is not None:
            target.errors = list(target.errors) + list(messages)
        else:
            for message in messages:
                flash(message, "danger")


# --- list, export ------------------------------------------------------------------------


def _bool_arg(name: str) -> bool | None:
    value = request.args.get(name, "")
    return {"1": True, "yes": True, "0": False, "no": False}.get(value)


def _text_arg(name: str) -> str | None:
    return (clean_text(request.args.get(name)) or "").strip()[:200] or None


def filters_from_request() -> queries.LeadFilters:
    owner = request.args.get("owner", "")
    return queries.LeadFilters(
        stage=request.args.getlist("stage"),
        municipality=_text_arg("municipality"),
        owner_id=whole_number(owner),
        sector=_text_arg("sector"),
        source=request.args.get("source") or None,
        confidential=_bool_arg("confidential"),
        overdue=request.args.get("overdue") == "1",
        q=_text_arg("q"),
        sort=request.args.get("sort", "received_desc"),
        scope=request.args.get("scope") if request.args.get("scope") in queries.LEAD_SCOPES
        else None,
    )


@bp.get("/leads")
@login_required
def index():
    filters = filters_from_request()
    page = request.args.get("page", "1")
    page = max(whole_number(page, digits=6) or 1, 1)
    result = queries.lead_page(current_user._get_current_object(), filters, page)  # no proxy
    total = result.total
    query_args = request.args.to_dict(flat=False)
    query_args.pop("page", None)
    dates = local_dates([row.received_on for row in result.rows]
                        + list(result.next_followups.values()))
    return render_template(
        "leads/index.html", leads=result.rows, rows=render_rows(result, dates),
        total=total, page=page,
        pages=max((total + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE, 1), filters=filters,
        query_args=query_args, owner_options=advisor_options(filters.owner_id),
    )


@bp.get("/leads/export.csv")
@login_required
def export_csv():
    ids = export.export_lead_ids(current_user, filters_from_request(), "csv")
    dialect = CsvDialect.named(request.args.get("format"))
    body = stream_for(current_user, lambda user: export.iter_csv(
        export.iter_export_rows(user, ids), dialect))
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": (
        f'attachment; filename="{file_name(export.FILE_STEM, "csv")}"')})


@bp.route("/leads/export.xlsx", methods=["GET", "POST"])
@login_required
def export_xlsx():
    """The list as a workbook: written at once up to EXPORT_JOB_THRESHOLD rows, else by a
    job, which only a POST starts (a GET shows what would be started)."""
    user, filters = current_user._get_current_object(), filters_from_request()
    count = export.count_rows(user, filters)
    if count > exports_service.job_threshold():
        if request.method == "GET":
            return render_template("exports/confirm.html", what=_("%(count)d leads", count=count),
                                   back=url_for("leads.index", **request.args.to_dict(flat=False)))
        start_export(user, ExportKind.LEADS, filters)
        flash(_("The export of %(count)d leads is being prepared; download it here when it is "
                "ready.", count=count), "info")
        return redirect(url_for("exports.index"))
    return Response(
        export.to_xlsx(export.iter_export_rows(
            user, export.export_lead_ids(user, filters, "xlsx"))),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": (
            f'attachment; filename="{file_name(export.FILE_STEM, "xlsx")}"')},
    )


# --- create, show, edit -----------------------------------------------------------------------


def _company_from_form(form: LeadForm, exclude_id: int | None = None) -> tuple[Company | None, list]:
    """The company to link: an existing one of the user's municipality, a new one, or
    duplicates to warn about."""
    link = form.link_company_id.data
    if whole_number(link) is not None:
        company = companies.get_own_company(current_user, int(link))
        if company is None:
            form.company_name.errors = [*form.company_name.errors, _("Unknown company.")]
        return company, []
    values = form.company_values()
    if values is None:
        return None, []
    duplicates = companies.find_duplicates(current_user, values["name"], values["orgnr"],
                                           exclude_id=exclude_id)
    if duplicates and not form.create_anyway.data:
        return None, duplicates
    return companies.build_company(values), []


def _flash_regional_hints(orgnr: str | None) -> None:
    """Other municipalities' open, non-confidential matters with this organisation number
    (companies.regional_hints); informative, never blocking."""
    for hint in companies.regional_hints(current_user, orgnr):
        flash(hint, "info")


CODENAME_TAKEN = ("municipality_id", "codename")  # uq_leads_municipality_id_codename


def _create_lead(form: LeadForm, company: Company | None) -> Lead:
    """The new lead, its form's token recorded with it. A codename that a concurrent
    request took between the check and the insert is a field error; a blank one is
    suggested again (two requests may have got the same suggestion)."""
    for _attempt in range(3):
        try:
            with recording(current_user, form, Lead):
                return commands.create_lead(current_user, form.lead_values(), company,
                                            form.contact_values())
        except IntegrityError as error:
            if not violates(error, Lead, *CODENAME_TAKEN):
                raise
            if form.lead_values()["codename"]:
                break
    raise FieldErrors(
        {"codename": [_("Another lead already has this codename.")]})


@bp.route("/leads/new", methods=["GET", "POST"])
@login_required
def new():
    if not current_user.is_advisor:
        abort(403)
    form = LeadForm()
    duplicates: list[Company] = []
    saved = earlier(current_user, form) if form.is_submitted() else None
    if saved is not None:
        return already_saved(url_for("leads.show", lead_id=saved.object_id))
    if form.validate_on_submit():
        company, duplicates = _company_from_form(form)
        if not duplicates and not form.company_name.errors:
            try:
                lead = _create_lead(form, company)
            except FieldErrors as error:
                db.session.rollback()
                # the same submission, posted twice at once, may have been saved by the
                # other request in the meantime (its suggested codename now clashes)
                saved = earlier(current_user, form)
                if saved is not None:
                    return already_saved(url_for("leads.show", lead_id=saved.object_id))
                _apply_errors(form, error.fields)
            except AlreadySaved as first:
                return already_saved(url_for("leads.show", lead_id=first.submission.object_id))
            else:
                flash(_("The lead %(codename)s was created.", codename=lead.codename), "success")
                _flash_regional_hints(lead.company.orgnr if lead.company else None)
                return redirect(url_for("leads.show", lead_id=lead.id))
    status = 422 if form.is_submitted() and (form.errors or duplicates) else 200
    return render_template("leads/form.html", form=form, lead=None, duplicates=duplicates,
                           suggestion=commands.suggest_codename(current_user.municipality_id)), status


@bp.get("/leads/<int:lead_id>/map")
@login_required
def lead_map(lead_id: int):
    """The lead's preferred municipalities outlined, its candidate sites the user may see,
    and the logistics nodes."""
    from app.candidates.service import candidate_points
    from app.maps.service import lead_map as render_lead_map
    from app.sites.service import all_node_points

    lead = queries.get_lead_or_404(current_user, lead_id)
    queries.record_view(current_user, lead)
    candidates = candidate_points(current_user, lead)
    return render_template("leads/map.html", lead=lead, candidates=candidates,
                           the_map=render_lead_map(lead.preferred_slugs, all_node_points(),
                                                   candidates))


@bp.get("/leads/<int:lead_id>")
@login_required
def show(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    queries.record_view(current_user, lead)
    new_inquiry = lead.web_inquiry_new
    inquiries.mark_opened(current_user, lead)
    detail = queries.lead_detail(current_user, lead)
    followup_form = FollowUpForm()
    followup_form.assignee_id.choices = followups.assignee_choices(lead)
    followup_form.assignee_id.data = current_user.id
    stage_form = StageForm(data={"stage": lead.stage.value, "version": lead.version})
    share_form = ShareForm()
    share_form.municipalities.choices = [
        (slug, name) for slug, name in share_form.municipalities.choices
        if slug != lead.municipality.slug
    ]
    return render_template(
        "leads/show.html", lead=lead, detail=detail, activity_form=ActivityForm(),
        followup_form=followup_form, share_form=share_form, response_form=ResponseForm(),
        contact_form=ContactForm(), stage_form=stage_form, revoke_form=RevokeForm(),
        done_form=DoneForm(), today=local_today(),
        can_delete=deletion.can_delete(current_user, lead),
        new_inquiry=new_inquiry, answer_deadline=inquiries.answer_deadline(lead),
    )


@bp.post("/leads/<int:lead_id>/delete")
@login_required
def delete(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_edit(current_user, lead):
        abort(403)
    if not TokenForm().validate():
        abort(400)
    codename = lead.codename
    try:
        deletion.delete_lead(current_user, lead)
    except FieldErrors as error:
        flash_field_errors(error)
        return redirect(url_for("leads.show", lead_id=lead_id))
    flash(_("The lead %(codename)s is deleted.", codename=codename), "success")
    return redirect(url_for("leads.index"))


def _fill_form(form: LeadForm, lead: Lead) -> None:
    for name in commands.EDITABLE_FIELDS:
        field = getattr(form, name, None)
        if field is not None and name not in ("rail_siding", "water_sewage",
                                              "preferred_municipalities"):
            field.data = getattr(lead, name)
    form.rail_siding.data = labels.yes_no_data(lead.rail_siding)
    form.water_sewage.data = labels.yes_no_data(lead.water_sewage)
    form.preferred_municipalities.data = lead.preferred_slugs
    form.source.data = lead.source.value
    form.version.data = str(lead.version)
    if lead.company is not None:
        form.link_company_id.data = str(lead.company_id)


@bp.route("/leads/<int:lead_id>/edit", methods=["GET", "POST"])
@login_required
def edit(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_edit(current_user, lead):
        abort(403)
    form = LeadForm()
    duplicates: list[Company] = []
    if not form.is_submitted():
        _fill_form(form, lead)
    elif form.validate():
        company, duplicates = _company_from_form(form, exclude_id=lead.company_id)
        if not duplicates and not form.company_name.errors:
            version = form.version.data
            try:
                commands.update_lead(
                    current_user, lead, submitted_version(version),
                    form.lead_values(), company=company,
                    unlink_company=company is None and not form.link_company_id.data)
            except StaleVersion as stale:
                return render_template("leads/conflict.html", form=form, lead=stale.current,
                                       stored=_fill_stored(stale.current)), 409
            except FieldErrors as error:
                db.session.rollback()
                _apply_errors(form, error.fields)
            except IntegrityError as error:
                db.session.rollback()
                if not violates(error, Lead, *CODENAME_TAKEN):
                    raise
                _apply_errors(form, {"codename": [_("Another lead already has this codename.")]})
            else:
                flash(_("The lead is saved."), "success")
                if company is not None:
                    _flash_regional_hints(company.orgnr)
                return redirect(url_for("leads.show", lead_id=lead.id))
    status = 422 if form.is_submitted() and (form.errors or duplicates) else 200
    return render_template("leads/form.html", form=form, lead=lead, duplicates=duplicates,
                           suggestion=None), status


def _fill_stored(lead: Lead) -> LeadForm:
    stored = LeadForm(formdata=None)
    _fill_form(stored, lead)
    return stored


# --- stage (pipeline drag and drop, keyboard select, stage form) ---------------------------


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/leads/<int:lead_id>/stage", methods=["GET", "POST"])
@login_required
def stage(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_edit(current_user, lead):
        abort(403)
    form = StageForm()
    if not form.is_submitted():
        form.stage.data = request.args.get("stage", lead.stage.value)
        form.version.data = str(lead.version)
        return render_template("leads/stage.html", form=form, lead=lead)
    if form.validate():
        version = form.version.data
        try:
            stages.change_stage(current_user, lead,
                                 submitted_version(version),
                                 form.stage.data, form.stage_data())
        except StaleVersion as stale:
            if _wants_json():
                return jsonify({"error": {"code": "conflict", "message": _(
                    "Someone else changed this in the meantime."),
                    "version": stale.current.version}}), 409
            flash(_("Someone else changed this in the meantime."), "danger")
            return render_template("leads/stage.html", form=form, lead=stale.current), 409
        except FieldErrors as error:
            db.session.rollback()
            _apply_errors(form, error.fields)
        else:
            if _wants_json():
                return jsonify({"id": lead.id, "stage": lead.stage.value, "version": lead.version})
            flash(_("%(codename)s moved to %(stage)s.", codename=lead.codename,
                    stage=labels.stage_label(lead.stage)), "success")
            return redirect(safe_next(request.form.get("next"),
                                      url_for("leads.show", lead_id=lead.id)))
    if _wants_json():
        return jsonify({"error": {"code": "invalid", "message": _("Some fields need attention."),
                                  "fields": form.errors,
                                  "form_url": url_for("leads.stage", lead_id=lead.id,
                                                      stage=form.stage.data)}}), 422
    form.version.data = str(lead.version) if not form.version.data else form.version.data
    return render_template("leads/stage.html", form=form, lead=lead), 422


# --- activities, follow-ups, contacts -----------------------------------------------------


@bp.post("/leads/<int:lead_id>/activities")
@login_required
def add_activity(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    form = ActivityForm()
    back = url_for("leads.show", lead_id=lead.id) + "#timeline"
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if form.validate():
        try:
            with recording(current_user, form, Activity):
                commands.add_activity(current_user, lead, form.kind.data, form.body.data,
                                      form.internal.data, at=from_local(form.at.data),
                                      mentioned=mentions.parse_ids(form.mentions.data))
        except AlreadySaved:
            return already_saved(back)
        except FieldErrors as error:
            flash_field_errors(error)
            return redirect(back)
        flash(_("The activity is saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(back)


@bp.post("/leads/<int:lead_id>/partner-registration-number")
@login_required
def partner_registration_number(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_respond(current_user, lead):
        abort(403)
    if not TokenForm().validate():
        abort(400)
    try:
        sharing.set_partner_registration_number(current_user, lead,
                                                request.form.get("registration_number"))
    except FieldErrors as error:
        flash_field_errors(error)
    else:
        flash(_("Your municipality's diarienummer is saved."), "success")
    return redirect(url_for("leads.show", lead_id=lead.id) + "#shares")


@bp.get("/leads/<int:lead_id>/mentionable")
@login_required
def mentionable(lead_id: int):
    """Whom an activity of this lead may mention (`internal=1`: the owning municipality
    only), matching `q`: for the "@" autocomplete of the activity form."""
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_contribute(current_user, lead):
        abort(403)
    internal = request.args.get("internal", "1") != "0"
    return jsonify(mentions.mentionable(lead, internal, request.args.get("q", "")))


@bp.post("/leads/<int:lead_id>/followups")
@login_required
def add_followup(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_contribute(current_user, lead):
        abort(403)
    form = FollowUpForm()
    back = url_for("leads.show", lead_id=lead.id) + "#followups"
    if earlier(current_user, form) is not None:
        return already_saved(back)
    form.assignee_id.choices = followups.assignee_choices(lead)
    if form.validate():
        try:
            with recording(current_user, form, FollowUp):
                followups.add_followup(current_user, lead, form.title.data, form.due_on.data,
                                       form.assignee_id.data or None,
                                       from_local(form.remind_at.data))
        except FieldErrors as error:
            db.session.rollback()
            flash_field_errors(error)
        except AlreadySaved:
            return already_saved(back)
        else:
            flash(_("The follow-up is saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(back)


@bp.post("/followups/<int:followup_id>/done")
@login_required
def followup_done(followup_id: int):
    followup = followups.get_followup(current_user, followup_id)
    if followup is None:
        abort(404)
    followups.set_done(current_user, followup, request.form.get("done") != "0")
    return redirect(safe_next(request.form.get("next"), url_for("leads.followups")))


@bp.post("/leads/<int:lead_id>/contacts")
@login_required
def add_contact(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    form = ContactForm()
    back = url_for("leads.show", lead_id=lead.id) + "#company"
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if form.validate():
        try:
            with recording(current_user, form, Contact):
                companies.add_contact(current_user, lead, form.data)
        except FieldErrors as error:
            flash_field_errors(error)
        except AlreadySaved:
            return already_saved(back)
        else:
            flash(_("The contact is saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(back)


# --- sharing -------------------------------------------------------------------------------


@bp.post("/leads/<int:lead_id>/shares")
@login_required
def share(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    form = ShareForm()
    back = url_for("leads.show", lead_id=lead.id) + "#shares"
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if form.validate():
        try:
            with recording(current_user, form, LeadShare):
                sharing.share_lead(current_user, lead, form.municipalities.data,
                                   form.level.data, form.basis_values())
        except FieldErrors as error:
            db.session.rollback()
            flash_field_errors(error)
        except AlreadySaved:
            return already_saved(back)
        except IntegrityError as error:  # a concurrent share with the same municipality
            if not violates(error, LeadShare, "lead_id", "municipality_id"):
                raise
            flash(_("Someone else changed this in the meantime."), "danger")
        else:
            flash(_("The lead is shared."), "success")
    else:
        if not access.can_edit(current_user, lead):
            abort(403)
        flash_form_errors(form)
    return redirect(url_for("leads.show", lead_id=lead.id) + "#shares")


@bp.post("/leads/<int:lead_id>/shares/revoke")
@login_required
def revoke(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    form = RevokeForm()
    if not access.can_edit(current_user, lead):
        abort(403)
    if form.validate():
        try:
            sharing.revoke_share(current_user, lead, form.municipality.data)
        except FieldErrors as error:
            flash_field_errors(error)
        else:
            flash(_("The share is revoked."), "success")
    return redirect(url_for("leads.show", lead_id=lead.id) + "#shares")


@bp.post("/leads/<int:lead_id>/response")
@login_required
def respond(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_respond(current_user, lead):
        abort(403)
    form = ResponseForm()
    back = url_for("leads.show", lead_id=lead.id) + "#shares"
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if form.validate():
        try:
            with recording(current_user, form, lead):
                sharing.respond(current_user, lead, form.response.data, form.comment.data)
        except AlreadySaved:
            return already_saved(back)
        flash(_("Your response is saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("leads.show", lead_id=lead.id) + "#shares")


# --- pipeline, my follow-ups ---------------------------------------------------------------


@bp.get("/pipeline")
@login_required
def pipeline():
    user = current_user._get_current_object()  # not the proxy: 400 cards ask about it
    columns = pipeline_columns(user)
    return render_template("leads/pipeline.html", columns=columns,
                           cards_html=cards.render_board(user, columns),
                           board_token=generate_csrf())


@bp.get("/followups", endpoint="followups")
@login_required
def followups_page():
    groups = followups.my_followups(current_user)
    dates = local_dates(row.due_on for rows in groups.values() for row in rows)
    return render_template("leads/followups.html", groups=groups, dates=dates)


# --- administration: handover, companies -----------------------------------------------------


@bp.route("/leads/handover", methods=["GET", "POST"])
@login_required
def handover():
    if not access.can_hand_over(current_user):
        abort(403)
    form = HandoverForm()
    people = handover_people(current_user)
    form.from_user.choices = [(u.id, f"{u.name} ({u.municipality.name})") for u in people]
    form.to_user.choices = [(u.id, f"{u.name} ({u.municipality.name})") for u in people
                            if u.active and u.is_advisor]
    if form.validate_on_submit():
        try:
            moved = handover_by_ids(current_user, form.from_user.data, form.to_user.data)
        except FieldErrors as error:
            db.session.rollback()
            _apply_errors(form, error.fields)
        else:
            flash(_("%(leads)d leads and %(followups)d follow-ups were handed over.", **moved),
                  "success")
            return redirect(url_for("leads.handover"))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("leads/handover.html", form=form), status


@bp.get("/companies")
@login_required
def company_list():
    q = _text_arg("q") or ""
    rows = queries.companies_matching(current_user, q)
    keys: dict[tuple[int, str], int] = {}  # duplicates are counted within a municipality
    for company in rows:
        for key in (company.name_key, company.orgnr):
            if key:
                keys[company.municipality_id, key] = keys.get((company.municipality_id, key), 0) + 1
    return render_template(
        "leads/companies.html", companies=rows, q=q, keys=keys, merge_form=MergeForm(),
        editable=companies.editable_company_ids(current_user, rows),
        can_merge=companies.can_merge_companies(current_user))


@bp.route("/companies/<int:company_id>/edit", methods=["GET", "POST"])
@login_required
def edit_company(company_id: int):
    company = companies.get_visible_company(current_user, company_id)
    if company is None:
        abort(404)
    if not companies.can_edit_company(current_user, company):
        abort(403)
    form = CompanyForm()
    back = safe_next(request.values.get("next"), url_for("leads.company_list"))
    if not form.is_submitted():
        form.process(obj=company)
        form.version.data = str(company.version)
    elif form.validate():
        version = form.version.data
        try:
            companies.update_company(current_user, company,
                                     submitted_version(version),
                                     form.values())
        except StaleVersion as stale:
            db.session.rollback()
            return render_template("leads/company_conflict.html", form=form,
                                   company=stale.current, back=back), 409
        except FieldErrors as error:
            db.session.rollback()
            _apply_errors(form, error.fields)
        else:
            flash(_("The company %(name)s was saved.", name=company.name), "success")
            _flash_regional_hints(company.orgnr)
            return redirect(back)
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("leads/company_form.html", form=form, company=company,
                           back=back), status


@bp.post("/companies/merge")
@login_required
def merge():
    form = MergeForm()
    if form.validate():
        try:
            target = companies.merge_companies(current_user, form.source.data, form.target.data)
        except errors.PermissionDenied:
            abort(403)
        except FieldErrors as error:
            db.session.rollback()
            flash_field_errors(error)
        else:
            flash(_("The companies were merged into %(name)s.", name=target.name), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("leads.company_list"))



@bp.post("/followups/<int:followup_id>/reminder")
@login_required
def followup_reminder(followup_id: int):
    """Set, move (a new reminder is sent at the new time) or clear a follow-up's reminder."""
    from app.leads.forms import ReminderForm
    from app.leads.reminders import move_reminder

    followup = followups.get_followup(current_user, followup_id)
    if followup is None:
        abort(404)
    form = ReminderForm()
    if form.validate():
        remind_at = from_local(form.remind_at.data)
        move_reminder(current_user, followup, remind_at)
        flash(_("The reminder is saved.") if remind_at else _("The reminder is removed."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("leads.followups"))
