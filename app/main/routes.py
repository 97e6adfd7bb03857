from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.main import service

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    return render_template("main/index.html", summary=service.start_page_summary(current_user))
