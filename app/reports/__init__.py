"""Reports and the annual follow-up (issue 20): the pipeline, inflow, outcome and land in
figures, each a chart with its table and a CSV/XLSX download, counted under the secrecy
rule of app/reports/counted.py. Each section's figures are computed by a module of its
own (pipeline, inflow, outcome, land) with grouping in SQL."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    from app.navigation import add_nav_item
    from app.reports import routes

    app.register_blueprint(routes.bp)
    add_nav_item("reports.index", _l("Reports"), order=60)
