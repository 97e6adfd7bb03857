from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import scope
from app.core.service import all_municipalities
from app.exports import service as exports_service
from app.exports.files import CsvDialect, file_name
from app.exports.models import ExportKind
from app.exports.streaming import stream_for
from app.exports.tasks import start_export
from app.extensions import db
from app.forms import municipality_choices
from app.input_rules import FieldErrors
from app.locking import StaleVersion, submitted_version
from app.maps import service as maps
from app.sites import export, geocoding, service
from app.sites.forms import SiteForm
from app.sites.geography import ZONE_15_00, to_sweref
from app.sites.models import Site
from app.submissions import AlreadySaved, already_saved, earlier, recording

bp = Blueprint("sites", __name__, url_prefix="/sites")
PER_PAGE = 50


def _filter_or_400():
    try:
        return service.parse_filter(request.args), {}
    except service.FilterInvalid as invalid:
        return service.SiteFilter(), invalid.errors


@bp.route("")
@login_required
def index():
    filt, errors = _filter_or_400()
    page = db.paginate(service.filtered_sites(current_user, filt), per_page=PER_PAGE,
                       error_out=False)
    return render_template("sites/index.html", page=page, filt=filt, filter_errors=errors,
                           municipalities=all_municipalities(), service=service,
                           can_create=service.can_create_sites(current_user)), (400 if errors else 200)


@bp.route("/export.<any(csv, xlsx):fmt>", methods=["GET", "POST"])
@login_required
def export_sites(fmt: str):
    filt, errors = _filter_or_400()
    if errors:
        abort(400)
    user = current_user._get_current_object()
    statement = service.filtered_sites(user, filt)
    if fmt == "csv":
        dialect = CsvDialect.named(request.args.get("format"))
        body = stream_for(user, lambda _user: export.iter_csv(export.iter_sites(statement),
                                                              dialect))
        return Response(body, mimetype="text/csv", headers={"Content-Disposition": (
            f'attachment; filename="{file_name(export.FILE_STEM, "csv")}"')})
    count = export.count_sites(statement)
    if count > exports_service.job_threshold():
        if request.method == "GET":  # only a POST starts a job
            return render_template("exports/confirm.html", what=_("%(count)d sites", count=count),
                                   back=url_for("sites.index", **filt.as_args()))
        start_export(user, ExportKind.SITES, filt)
        flash(_("The export of %(count)d sites is being prepared; download it here when it is "
                "ready.", count=count), "info")
        return redirect(url_for("exports.index"))
    return Response(
        export.to_xlsx(export.iter_sites(statement)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": (
            f'attachment; filename="{file_name(export.FILE_STEM, "xlsx")}"')})


@bp.route("/map", endpoint="map")
@login_required
def map_page():
    filt, errors = _filter_or_400()
    parts, count = service.site_map_page(current_user, filt, str(get_locale()))
    return render_template("sites/map.html", the_map=parts, filt=filt, filter_errors=errors,
                           municipalities=all_municipalities(), service=service,
                           count=count), (400 if errors else 200)


@bp.route("/<int:site_id>")
@login_required
def show(site_id: int):
    site = scope.get_visible_or_404(current_user, Site, site_id)
    parts = maps.site_map(site.name, site.lat, site.lon, site.status.value,
                          service.nodes_near(site.lat, site.lon))
    return render_template("sites/show.html", site=site, the_map=parts, service=service,
                           sweref=to_sweref(site.lat, site.lon),
                           sweref_15_00=to_sweref(site.lat, site.lon, ZONE_15_00),
                           score=service.completeness(site), history=service.site_history(site),
                           can_edit=service.can_edit_site(current_user, site))


def _municipalities_for(site: Site | None):
    allowed = service.creatable_municipalities(current_user)
    if site is not None and site.municipality not in allowed:
        allowed = [site.municipality, *allowed]
    return allowed


def _geocode_into(form: SiteForm) -> None:
    """The "find address" button: propose coordinates, never save."""
    address = (form.address.data or "").strip()
    if not address:
        flash(_("Type an address first."), "warning")
        return
    try:
        place = geocoding.geocode(address)
    except geocoding.GeocoderUnavailable:
        flash(_("The address search is not available right now. Click on the map or type the "
                "coordinates; you can save the site anyway."), "warning")
        return
    if place is None:
        flash(_("No place in Sweden was found for that address. Click on the map or type the "
                "coordinates."), "warning")
        return
    form.lat.data, form.lon.data = round(place.lat, 6), round(place.lon, 6)
    form.lat.raw_data = form.lon.raw_data = None
    flash(_("Proposed position: %(place)s. Check it on the map before saving.",
            place=place.display_name), "info")


def _apply_errors(form: SiteForm, errors: dict) -> None:
    for name, messages in errors.items():
        field = getattr(form, name, None) or form.lat
        field.errors = [*field.errors, *messages]


def _form_page(form: SiteForm, site: Site | None, status: int = 200):
    position = None
    if form.lat.data is not None and form.lon.data is not None and not form.lat.errors:
        position = [float(form.lat.data), float(form.lon.data)]
    parts = maps.form_map(form.lat.id, form.lon.id, position)
    return render_template("sites/form.html", form=form, site=site, the_map=parts), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not service.can_create_sites(current_user):
        abort(403)
    municipalities = _municipalities_for(None)
    form = SiteForm()
    form.municipality.choices = municipality_choices(municipalities)
    if not form.is_submitted():
        form.municipality.data = current_user.municipality.slug
    saved = earlier(current_user, form) if form.is_submitted() else None
    if saved is not None:
        return already_saved(url_for("sites.show", site_id=saved.object_id))
    if form.is_submitted() and request.form.get("action") == "geocode":
        _geocode_into(form)
        return _form_page(form, None)
    if form.validate_on_submit():
        position = form.position()
        if position is not None:
            values = form.typed_values({m.slug: m for m in municipalities})
            values["lat"], values["lon"] = position
            try:
                with recording(current_user, form, Site):
                    site, warnings = service.create_site(current_user, values)
            except FieldErrors as invalid:
                _apply_errors(form, invalid.fields)
            except AlreadySaved as first:
                return already_saved(url_for("sites.show", site_id=first.submission.object_id))
            else:
                for warning in warnings:
                    flash(str(warning), "warning")
                if form.read_as:
                    flash(_("The coordinates were read as %(system)s.", system=form.read_as),
                          "info")
                flash(_("The site is saved."), "success")
                return redirect(url_for("sites.show", site_id=site.id))
    return _form_page(form, None, 422 if form.is_submitted() else 200)


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
def edit(site_id: int):
    site = scope.get_visible_or_404(current_user, Site, site_id)
    if not service.can_edit_site(current_user, site):
        abort(403)
    municipalities = _municipalities_for(site)
    form = SiteForm()
    form.municipality.choices = municipality_choices(municipalities)
    if not form.is_submitted():
        form.fill_from(site)
    if form.is_submitted() and request.form.get("action") == "geocode":
        _geocode_into(form)
        return _form_page(form, site)
    if form.validate_on_submit():
        position = form.position()
        if position is not None:
            values = form.typed_values({m.slug: m for m in municipalities})
            values["lat"], values["lon"] = position
            submitted = service.site_values(site)
            version = submitted_version(form.version.data)
            try:
                warnings = service.update_site(current_user, site, version, values)
            except FieldErrors as invalid:
                _apply_errors(form, invalid.fields)
            except StaleVersion as stale:
                mine = {**submitted, **{k: (v.slug if k == "municipality" else v)
                                        for k, v in values.items()}}
                return render_template("sites/conflict.html", site=stale.current, mine=mine,
                                       current=service.site_values(stale.current),
                                       labels=form.labels(), form=form), 409
            else:
                for warning in warnings:
                    flash(str(warning), "warning")
                if form.read_as:
                    flash(_("The coordinates were read as %(system)s.", system=form.read_as),
                          "info")
                flash(_("The site is saved."), "success")
                return redirect(url_for("sites.show", site_id=site.id))
    return _form_page(form, site, 422 if form.is_submitted() else 200)
