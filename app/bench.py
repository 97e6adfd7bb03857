"""Routes that exist only under the benchmark (ETABLERA_BENCH=1)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/baseline")
def baseline():
    """The trivial route every benchmark figure is compared with."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/empty-page")
@login_required
def empty_page():
    """A logged-in page with nothing on it: what every page costs before its own work
    (session, user, the base template). Reported for reference, not a target."""
    return render_template("base.html")


def init_app(app) -> None:
    app.register_blueprint(bp)
