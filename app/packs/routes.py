"""Making and revoking packs (lead page), and the pack itself at its secret link (no
login: the link is the key)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.clock import utcnow
from app.extensions import db
from app.flashing import flash_field_errors, flash_form_errors
from app.input_rules import FieldErrors
from app.leads import queries
from app.leads.errors import PermissionDenied
from app.packs import service
from app.packs.access import can_make_pack
from app.packs.forms import PackForm
from app.packs.models import ProspectPack
from app.sites import labels as site_labels
from app.sites.nodes import estimated_distances
from app.submissions import AlreadySaved, already_saved, earlier, recording

bp = Blueprint("packs", __name__)


def pack_form(lead, candidates) -> PackForm:
    form = PackForm()
    form.candidates.choices = [(c.id, c.site.name) for c in candidates]
    return form


@bp.post("/leads/<int:lead_id>/packs")
@login_required
def make(lead_id: int):
    lead = queries.get_lead_or_404(current_user, lead_id)
    if not can_make_pack(current_user, lead):
        abort(403)
    form = pack_form(lead, service.packable_candidates(current_user, lead))
    back = url_for("leads.show", lead_id=lead.id) + "#packs"
    if earlier(current_user, form) is not None:
        return already_saved(back)
    if not form.validate():
        flash_form_errors(form)
        return redirect(back)
    try:
        with recording(current_user, form, ProspectPack):
            pack, token = service.make_pack(current_user, lead, form.candidates.data,
                                            form.language.data, form.expires_in_days.data)
    except FieldErrors as error:
        db.session.rollback()
        flash_field_errors(error)
        return redirect(back)
    except AlreadySaved:
        return already_saved(back)
    # The link is shown here only: only its hash is kept.
    return render_template("packs/made.html", lead=lead, pack=pack,
                           link=url_for("packs.show", token=token, _external=True))


@bp.post("/packs/<int:pack_id>/revoke")
@login_required
def revoke(pack_id: int):
    pack = service.get_pack_or_404(current_user, pack_id)
    try:
        service.revoke(current_user, pack)
    except PermissionDenied:
        abort(403)
    flash(_("The pack's link no longer opens it."), "success")
    return redirect(url_for("leads.show", lead_id=pack.lead_id) + "#packs")


@bp.get("/p/<token>")
def show(token: str):
    pack = service.open_by_token(token, request.remote_addr) if len(token) <= 100 else None
    if pack is None:
        abort(404)
    with force_locale(pack.language):
        page = render_template("packs/pack.html", pack=pack, sites=service.pack_sites(pack),
                               the_map=service.map_data_uri(pack), language=pack.language,
                               labels=site_labels, estimated=estimated_distances())
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def template_helpers() -> dict:
    return {
        "lead_packs": lambda lead: service.packs_of(current_user, lead),
        "pack_form": lambda lead: pack_form(lead, service.packable_candidates(current_user,
                                                                              lead)),
        "may_make_pack": lambda lead: can_make_pack(current_user, lead),
        "pack_is_open": lambda pack: pack.is_open(utcnow()),
    }
