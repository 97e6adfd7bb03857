"""The public inquiry form (no login), its privacy notice and thank-you page, and the
admin's intake page (intake advisors, bots turned away)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user

from app.auth.permissions import admin_required
from app.core.models import Municipality
from app.core.service import all_municipalities
from app.extensions import db, limiter
from app.flashing import flash_field_errors
from app.forms import municipality_choices
from app.input_rules import FieldErrors, whole_number
from app.intake import service
from app.intake.forms import InquiryForm
from app.leads.models import Source
from app.sites.public import listed_site

bp = Blueprint("intake", __name__)


def _lang() -> str:
    return str(get_locale() or "sv")


def _rate_limit() -> str:
    return current_app.config["INTAKE_RATE_LIMIT"]


@bp.route("/inquiry", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def inquiry():
    form = InquiryForm(municipality_choices(all_municipalities()))
    if request.method == "POST":
        if form.homepage.data or request.form.get("homepage"):
            service.count_bot("honeypot")
            return redirect(url_for("intake.thanks", lang=_lang()))
        if service.filled_too_fast(request.form.get("started")):
            service.count_bot("too_fast")
            return redirect(url_for("intake.thanks", lang=_lang()))
    site = _site_asked_about(form)
    if form.validate_on_submit():
        try:
            received = service.receive_inquiry(form.inquiry(), Source.WEB_FORM, _lang())
            db.session.commit()
        except FieldErrors as error:
            db.session.rollback()
            for name, messages in error.fields.items():
                target = getattr(form, name, None)
                (target.errors if target is not None and name != "site_id"
                 else form.form_errors).extend(messages)
        else:
            service.after_commit(received)
            return redirect(url_for("intake.thanks", lang=_lang()))
    form.started.data = service.form_started_token()
    return render_template("intake/form.html", form=form, site=site, lang=_lang())


def _site_asked_about(form: InquiryForm):
    """The site of `?site=` (or of the submitted form), if the public may ask about it; a
    first view prefills its municipality as the preferred one."""
    raw = request.args.get("site") if request.method == "GET" else form.site_id.data
    site = listed_site(whole_number(raw) or 0) if raw else None
    if site is None:
        form.site_id.data = ""
        return None
    form.site_id.data = str(site.id)
    if request.method == "GET":
        form.municipalities.data = [site.municipality.slug]
    return site


@bp.get("/inquiry/thanks")
def thanks():
    return render_template("intake/thanks.html", lang=_lang())


@bp.get("/inquiry/privacy")
def privacy():
    return render_template("intake/privacy.html", lang=_lang())


@bp.errorhandler(RateLimitExceeded)
def too_many(error: RateLimitExceeded):
    response = current_app.make_response(
        (render_template("intake/too_many.html", lang=_lang()), 429))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


# --- the admin's page ----------------------------------------------------------------------


@bp.route("/admin/intake", methods=["GET", "POST"])
@admin_required
def admin():
    municipalities = list(db.session.scalars(sa.select(Municipality).order_by(Municipality.name)))
    if request.method == "POST":
        municipality = next((m for m in municipalities
                             if m.slug == request.form.get("municipality")), None)
        if municipality is None:
            abort(400)
        raw = request.form.get("user_id", "")
        user_id = whole_number(raw)
        try:
            service.set_intake_advisor(current_user, municipality,
                                       user_id if raw else None)
        except FieldErrors as error:
            flash_field_errors(error)
        else:
            flash(_("The intake advisor of %(municipality)s is saved.",
                    municipality=municipality.name), "success")
        return redirect(url_for("intake.admin"))
    rows = [(municipality, service.active_advisors(municipality.id),
             service.intake_advisor_or_none(municipality)) for municipality in municipalities]
    return render_template("intake/admin.html", rows=rows, bots=service.bot_counts(),
                           reasons=service.BOT_REASONS)
