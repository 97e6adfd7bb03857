"""Reserving a selected candidate's site, and extending, cancelling or converting the
reservation: forms on the lead page's candidate panel."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.permissions import admin_required
from app.candidates import service as candidates
from app.extensions import db
from app.flashing import flash_field_errors, flash_form_errors
from app.input_rules import FieldErrors
from app.leads.errors import PermissionDenied
from app.locking import StaleVersion, submitted_version
from app.reservations import service
from app.reservations.access import can_reserve
from app.reservations.forms import ReservationChangeForm, ReservationForm
from app.reservations.models import KIND_LABELS, STATUS_LABELS, Reservation
from app.submissions import AlreadySaved, already_saved, earlier, recording

bp = Blueprint("reservations", __name__)


def _back(lead_id: int) -> str:
    return url_for("leads.show", lead_id=lead_id) + "#candidates"


@bp.post("/candidates/<int:candidate_id>/reservations")
@login_required
def reserve(candidate_id: int):
    candidate = candidates.get_candidate_or_404(current_user, candidate_id)
    form = ReservationForm()
    back = _back(candidate.lead_id)
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if not form.validate():
        flash_form_errors(form)
        return redirect(back)
    try:
        with recording(current_user, form, Reservation):
            service.reserve(current_user, candidate, form.values())
    except PermissionDenied:
        abort(403)
    except FieldErrors as error:
        db.session.rollback()
        flash_field_errors(error)
    except AlreadySaved:
        return already_saved(back)
    else:
        flash(_("%(site)s is reserved.", site=candidate.site.name), "success")
    return redirect(back)


@bp.post("/reservations/<int:reservation_id>")
@login_required
def change(reservation_id: int):
    reservation = service.get_reservation_or_404(current_user, reservation_id)
    form = ReservationChangeForm()
    back = _back(reservation.lead_id)
    if not form.validate():
        flash_form_errors(form)
        return redirect(back)
    try:
        service.change(current_user, reservation, submitted_version(form.version.data),
                       form.action.data, form.valid_until.data)
    except PermissionDenied:
        abort(403)
    except FieldErrors as error:
        db.session.rollback()
        flash_field_errors(error)
    except StaleVersion:
        db.session.rollback()
        flash(_("Someone else changed this reservation in the meantime. These are the saved "
                "values; make your change again."), "danger")
    else:
        flash(_("The reservation is saved."), "success")
    return redirect(back)


@bp.get("/admin/reservations-missing")
@admin_required
def missing():
    """Sites marked reserved with no reservation recorded behind them."""
    return render_template("reservations/missing.html", sites=service.reserved_without_details())


def template_helpers() -> dict:
    return {
        "reservation_kind_labels": KIND_LABELS,
        "reservation_status_labels": STATUS_LABELS,
        "lead_reservations": lambda lead: {
            r.candidate_id: r for r in service.reservations_of_lead(current_user, lead.id)
            if r.is_active},
        "may_reserve": lambda candidate: can_reserve(current_user,
                                                     candidate.site.municipality_id),
        "reservation_form": ReservationForm,
        "offers_established_stage": lambda lead: service.offers_established_stage(current_user,
                                                                                  lead),
        "site_reservation": lambda site: service.visible_reservation_of_site(current_user,
                                                                             site.id),
        "reservation_change_form": ReservationChangeForm,
    }
