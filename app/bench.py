"""Routes that exist only under the benchmark (ETABLERA_BENCH=1)."""

from flask import Blueprint, g, render_template, request
from flask_login import login_required

from app.caching import tricks_off

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


def _switch_tricks_off() -> None:
    """The speed tricks named in the X-Bench-Tricks-Off header (comma-separated,
    app.caching.TRICKS) are off for this request: `make bench` measures each page with one
    of them off beside the page with all on."""
    names = [name.strip() for name in request.headers.get("X-Bench-Tricks-Off", "").split(",")
             if name.strip()]
    if names:
        g.bench_tricks_off = tricks_off(*names)
        g.bench_tricks_off.__enter__()


def _switch_tricks_on(_error: BaseException | None = None) -> None:
    switched = g.pop("bench_tricks_off", None)
    if switched is not None:
        switched.__exit__(None, None, None)


def init_app(app) -> None:
    app.before_request(_switch_tricks_off)
    app.teardown_request(_switch_tricks_on)
    app.register_blueprint(bp)
