"""Pages of candidate sites: the ranked matches of a lead, proposing, deciding."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app import scope
from app.candidates import access, service, visits
from app.candidates.forms import (
    CRITERION_LABELS,
    STATUS_LABELS,
    CandidateForm,
    ProposeForm,
    VisitForm,
    status_choices,
)
from app.candidates.models import CandidateSite, CandidateStatus, SiteVisit
from app.candidates.weights import match_weights
from app.core.service import all_municipalities
from app.extensions import db
from app.flashing import flash_field_errors, flash_form_errors
from app.input_rules import FieldErrors, whole_number
from app.leads import queries
from app.leads.errors import PermissionDenied
from app.leads.followups import assignee_choices
from app.locking import StaleVersion, submitted_version
from app.maps import service as maps
from app.redirects import safe_next
from app.sites import labels as site_labels
from app.sites.models import Site
from app.sites.service import all_node_points
from app.submissions import AlreadySaved, already_saved, earlier, recording, violates

bp = Blueprint("candidates", __name__)

PAGE = 20  # rows first shown; "show more" adds as many again


@bp.get("/leads/<int:lead_id>/matches")
@login_required
def matches(lead_id: int):
    lead = queries.get_lead_columns_or_404(current_user, lead_id)
    municipality = request.args.get("municipality") or None
    known = {m.slug: m for m in all_municipalities()}
    if municipality not in known:
        municipality = None
    include_reserved = request.args.get("reserved") == "1"
    readiness = request.args.get("readiness") or None
    if readiness not in site_labels.readiness_labels():
        readiness = None
    shown = _shown(request.args.get("shown"))
    show_unfit = request.args.get("unfit") == "1"
    needs, offer = service.needs_of(lead), service.Offer(municipality, include_reserved, readiness)
    weights = match_weights()
    found = service.match_page(current_user, needs, shown, offer, weights)
    unfit = (service.unfit_matches(current_user, needs, offer=offer, weights=weights)
             if show_unfit and found.unfit_total else [])
    proposed = service.proposed_site_ids(current_user, lead)
    proposes_in = {slug for slug, m in known.items()
                   if access.can_propose(current_user, lead, m.id)}
    proposable = {m.site.id for m in found.fitting if m.site.municipality in proposes_in}
    the_map = maps.matches_map([(m, found.positions[m.site.id]) for m in found.fitting],
                               all_node_points(), lead.preferred_slugs)
    return render_template(
        "candidates/matches.html", lead=lead, found=found, more=found.total > shown,
        shown=shown, page=PAGE, proposed=proposed, proposable=proposable,
        municipalities=known.values(), municipality=municipality,
        include_reserved=include_reserved, readiness=readiness, show_unfit=show_unfit,
        unfit=unfit,
        the_map=the_map,
        form=ProposeForm(),
        blocked=_blocked_by_unknowns(found.blocked),
        municipality_names={slug: m.name for slug, m in known.items()})


def _shown(value: str | None) -> int:
    return max(PAGE, whole_number(value, digits=5) or PAGE)


def _blocked_by_unknowns(matches) -> dict[str, list[tuple[str, list[str]]]]:
    """Per municipality, the sites whose missing data left a must unknown: ask for it."""
    blocked: dict[str, list[tuple[str, list[str]]]] = {}
    for match in matches:
        missing = [c.key for c in match.criteria if c.must and c.verdict == "unknown"]
        if missing:
            blocked.setdefault(match.site.municipality, []).append((match.site.name, missing))
    return blocked


@bp.post("/leads/<int:lead_id>/candidates")
@login_required
def propose(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    form = ProposeForm()
    back = safe_next(request.form.get("next"), url_for("leads.show", lead_id=lead.id) + "#candidates")
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if not form.validate():
        flash_form_errors(form)
        return redirect(back)
    site = scope.get_visible(current_user, Site, form.site_id.data)
    if site is None:
        abort(404)
    try:
        with recording(current_user, form, CandidateSite):
            service.propose(current_user, lead, site, form.note.data)
    except PermissionDenied:
        abort(403)
    except FieldErrors as error:
        db.session.rollback()
        flash_field_errors(error)
    except AlreadySaved:
        return already_saved(back)
    except IntegrityError as error:  # the same site proposed at the same moment
        db.session.rollback()
        if not violates(error, CandidateSite, "lead_id", "site_id"):
            raise
        flash(_("This site is already a candidate of the lead."), "warning")
    else:
        flash(_("%(site)s is proposed as a candidate.", site=site.name), "success")
    return redirect(back)


@bp.post("/candidates/<int:candidate_id>")
@login_required
def change(candidate_id: int):
    candidate = service.get_candidate_or_404(current_user, candidate_id)
    form = CandidateForm()
    back = url_for("leads.show", lead_id=candidate.lead_id) + "#candidates"
    if not form.validate():
        flash_form_errors(form)
        return redirect(back)
    version = submitted_version(form.version.data)
    try:
        service.change(current_user, candidate, version, {
            "status": form.status.data, "reason": form.reason.data, "note": form.note.data})
    except PermissionDenied:
        abort(403)
    except FieldErrors as error:
        db.session.rollback()
        flash_field_errors(error)
    except StaleVersion:
        db.session.rollback()
        flash(_("Someone else changed this candidate in the meantime. These are the saved "
                "values; make your change again."), "danger")
    else:
        flash(_("The candidate is saved."), "success")
    return redirect(back)


@bp.post("/leads/<int:lead_id>/visits")
@login_required
def plan_visit(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not access.can_decide(current_user, lead):
        abort(403)
    form = visit_form(lead)
    back = url_for("leads.show", lead_id=lead.id) + "#candidates"
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if not form.validate():
        flash_form_errors(form)
        return redirect(back)
    try:
        with recording(current_user, form, SiteVisit):
            visits.plan_visit(current_user, lead, form.candidates.data, form.due_on.data,
                              form.due_time.data, form.assignee.data, form.participants.data,
                              form.external.data)
    except FieldErrors as error:
        db.session.rollback()
        flash_field_errors(error)
    except AlreadySaved:
        return already_saved(back)
    else:
        flash(_("The site visit is planned and on the follow-up list."), "success")
    return redirect(back)


@bp.post("/visits/<int:visit_id>/held")
@login_required
def visit_held(visit_id: int):
    visit = visits.get_visit_or_404(current_user, visit_id)
    back = url_for("leads.show", lead_id=visit.lead_id) + "#candidates"
    try:
        visits.mark_held(current_user, visit)
    except PermissionDenied:
        abort(403)
    except FieldErrors as error:
        db.session.rollback()
        flash_field_errors(error)
    else:
        flash(_("The site visit is marked as held."), "success")
    return redirect(back)


def visit_form(lead, candidates: list[CandidateSite] | None = None) -> VisitForm:
    """The form to plan a visit, with this lead's choices (`candidates`: the lead's
    candidates the user sees, when the caller has them already)."""
    if candidates is None:
        candidates = service.candidates_of(current_user, lead)
    form = VisitForm()
    form.candidates.choices = [(c.id, c.site.name) for c in candidates
                               if c.status != CandidateStatus.REJECTED]
    people = visits.participant_choices(lead)
    form.participants.choices = people
    form.assignee.choices = [(user_id, name) for user_id, name in assignee_choices(lead)]
    if not form.is_submitted():
        form.assignee.data = current_user.id
    return form


def template_helpers() -> dict:
    return {
        "candidate_status_labels": STATUS_LABELS,
        "candidate_status_choices": status_choices,
        "lead_candidates": lambda lead: service.candidates_of(current_user, lead),
        "candidate_may_change": lambda lead, candidate: access.can_edit_note(current_user,
                                                                             candidate),
        "candidate_may_decide": lambda lead: access.can_decide(current_user, lead),
        "lead_visits": lambda lead: visits.visits_of(current_user, lead),
        "visit_form": visit_form,
        "offers_visit_stage": lambda lead: visits.offers_visit_stage(current_user, lead),
    }


def criterion_label(key: str) -> str:
    return str(CRITERION_LABELS.get(key, key))
