"""Routes that exist only under the benchmark (ETABLERA_BENCH=1)."""

from flask import Blueprint

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/baseline")
def baseline():
    """The trivial route every benchmark figure is compared with."""
    return "ok", 200, {"Content-Type": "text/plain"}


def init_app(app) -> None:
    app.register_blueprint(bp)
