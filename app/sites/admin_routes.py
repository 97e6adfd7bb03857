"""Admins edit the logistics nodes (reference data loaded by the migration)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.permissions import admin_required
from app.core.service import all_municipalities
from app.extensions import db
from app.forms import municipality_choices
from app.input_rules import FieldErrors
from app.locking import StaleVersion, submitted_version
from app.sites import service
from app.sites.forms import NodeForm
from app.sites.models import LogisticsNode
from app.submissions import AlreadySaved, already_saved, earlier, recording, violates

bp = Blueprint("sites_admin", __name__, url_prefix="/admin/nodes")


@bp.route("")
@admin_required
def nodes():
    return render_template("sites/admin_nodes.html", nodes=service.all_nodes(), service=service)


def _node_form_page(form: NodeForm, node: LogisticsNode | None, status: int = 200):
    return render_template("sites/admin_node_form.html", form=form, node=node), status


def _save(form: NodeForm, node: LogisticsNode | None):
    municipalities = {m.slug: m for m in all_municipalities()}
    position = form.position()
    if position is None:
        return None
    values = {"kind": form.kind.data, "name": form.name.data.strip(),
              "municipality": municipalities[form.municipality.data],
              "lat": position[0], "lon": position[1], "accuracy": form.accuracy.data,
              "note": (form.note.data or "").strip() or None}
    version = None if node is None else submitted_version(form.version.data)
    try:
        if node is None:
            with recording(current_user, form, LogisticsNode):
                service.save_node(current_user, node, version, values)
        else:
            service.save_node(current_user, node, version, values)
    except FieldErrors as invalid:
        form.lat.errors = [*form.lat.errors, *invalid.fields["lat"]]
        return None
    except AlreadySaved:
        return already_saved(url_for("sites_admin.nodes"))
    except IntegrityError as error:
        db.session.rollback()
        if not violates(error, LogisticsNode, "name"):
            raise
        form.name.errors = [*form.name.errors, _("Another logistics node already has this name.")]
        return None
    except StaleVersion as stale:
        db.session.rollback()
        flash(_("Someone else changed this node in the meantime. These are the saved values; "
                "make your change again."), "danger")
        return redirect(url_for("sites_admin.edit_node", node_id=stale.current.id))
    if form.read_as:
        flash(_("The coordinates were read as %(system)s.", system=form.read_as), "info")
    flash(_("The logistics node is saved and the distances of all sites are updated."), "success")
    return redirect(url_for("sites_admin.nodes"))


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_node():
    form = NodeForm()
    form.municipality.choices = municipality_choices(all_municipalities())
    if form.is_submitted() and earlier(current_user, form) is not None:
        return already_saved(url_for("sites_admin.nodes"))
    if form.validate_on_submit():
        done = _save(form, None)
        if done is not None:
            return done
    return _node_form_page(form, None, 422 if form.is_submitted() else 200)


@bp.route("/<int:node_id>", methods=["GET", "POST"])
@admin_required
def edit_node(node_id: int):
    node = db.session.get(LogisticsNode, node_id) or abort(404)
    form = NodeForm()
    form.municipality.choices = municipality_choices(all_municipalities())
    if not form.is_submitted():
        form.kind.data = node.kind.value
        form.name.data = node.name
        form.municipality.data = node.municipality.slug
        form.lat.data, form.lon.data = node.lat, node.lon
        form.accuracy.data = node.accuracy.value
        form.note.data = node.note
        form.version.data = str(node.version)
    if form.validate_on_submit():
        done = _save(form, node)
        if done is not None:
            return done
    return _node_form_page(form, node, 422 if form.is_submitted() else 200)


@bp.post("/<int:node_id>/delete")
@admin_required
def delete_node(node_id: int):
    node = db.session.get(LogisticsNode, node_id) or abort(404)
    service.delete_node(current_user, node)
    flash(_("The logistics node is deleted and the distances of all sites are updated."), "success")
    return redirect(url_for("sites_admin.nodes"))
