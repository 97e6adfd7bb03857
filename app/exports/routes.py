"""The user's exports: the list with status, and the download of a finished file."""

from __future__ import annotations

from flask import Blueprint, render_template, send_file
from flask_login import current_user, login_required

from app.exports import service

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.get("")
@login_required
def index():
    exports = service.user_exports(current_user)
    return render_template("exports/index.html", exports=exports,
                           refresh=service.has_pending(exports),
                           kind_labels=service.kind_labels(), status_labels=service.status_labels())


@bp.get("/<int:export_id>/download")
@login_required
def download(export_id: int):
    path, name = service.downloadable_file(current_user, export_id)
    return send_file(path, as_attachment=True, download_name=name, max_age=0,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
