"""A contact's export and erasure (from the lead page) and the gallring page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    json,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.service import all_municipalities, municipality_by_slug
from app.flashing import flash_field_errors, flash_form_errors
from app.input_rules import FieldErrors
from app.leads.errors import PermissionDenied
from app.privacy import retention, service
from app.privacy.forms import RetentionForm

bp = Blueprint("privacy", __name__)


def _contact_or_404(contact_id: int):
    contact = service.get_contact(current_user, contact_id)
    if contact is None:
        abort(404)
    if not service.can_manage_contact(current_user, contact):
        abort(403)
    return contact


def _back(contact) -> str:
    if contact.lead_id is not None:
        return url_for("leads.show", lead_id=contact.lead_id) + "#company"
    return url_for("leads.company_list")


@bp.get("/contacts/<int:contact_id>/export.json")
@login_required
def export_contact(contact_id: int):
    contact = _contact_or_404(contact_id)
    record = service.export_contact(current_user, contact)
    return Response(json.dumps(record, ensure_ascii=False, indent=2),
                    mimetype="application/json", headers={
                        "Content-Disposition": f'attachment; filename="kontakt-{contact.id}.json"'})


@bp.post("/contacts/<int:contact_id>/erase")
@login_required
def erase_contact(contact_id: int):
    contact = _contact_or_404(contact_id)
    service.erase_contact(current_user, contact)
    flash(_("The contact's personal data is erased; the lead stays."), "success")
    return redirect(_back(contact))


def _municipality_or_404(slug: str | None):
    municipality = municipality_by_slug(slug) if slug else current_user.municipality
    if municipality is None:
        abort(404)
    if not (current_user.is_admin or retention.can_see_due(current_user, municipality)):
        abort(403)
    return municipality


@bp.get("/privacy/retention")
@login_required
def retention_page():
    municipality = _municipality_or_404(request.args.get("municipality"))
    form = RetentionForm()
    form.lost_years.data = municipality.retention_lost_years
    form.won_years.data = municipality.retention_won_years
    return _retention_page(municipality, form)


def _retention_page(municipality, form: RetentionForm, status: int = 200):
    may_see = retention.can_see_due(current_user, municipality)
    return render_template(
        "privacy/retention.html", municipality=municipality, form=form,
        due=retention.due_leads(municipality) if may_see else None, may_see=may_see,
        may_anonymise=retention.can_anonymise(current_user, municipality),
        may_set=current_user.is_admin,
        municipalities=all_municipalities() if current_user.is_admin else []), status


@bp.post("/privacy/retention/<slug>/setting")
@login_required
def save_retention(slug: str):
    municipality = _municipality_or_404(slug)
    if not current_user.is_admin:
        abort(403)
    form = RetentionForm()
    if not form.validate():
        flash_form_errors(form)
        return _retention_page(municipality, form, 422)
    try:
        retention.save_setting(current_user, municipality, form.lost_years.data,
                               form.won_years.data)
    except FieldErrors as invalid:
        flash_field_errors(invalid)
        return _retention_page(municipality, form, 422)
    flash(_("The retention of %(municipality)s is saved.", municipality=municipality.name),
          "success")
    return redirect(url_for("privacy.retention_page", municipality=municipality.slug))


@bp.post("/privacy/retention/<slug>/anonymise")
@login_required
def anonymise(slug: str):
    municipality = _municipality_or_404(slug)
    lead_ids = [int(value) for value in request.form.getlist("lead_id")
                if value.isascii() and value.isdigit() and len(value) < 10]
    try:
        count = retention.anonymise(current_user, municipality, lead_ids)
    except PermissionDenied:
        abort(403)
    flash(_("Personal data removed from %(count)d leads.", count=count), "success")
    return redirect(url_for("privacy.retention_page", municipality=municipality.slug))


def template_helpers() -> dict:
    return {"may_manage_contact": lambda contact: service.can_manage_contact(current_user,
                                                                             contact)}
