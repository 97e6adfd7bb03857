"""/reports: the figures with their charts and tables; each table as CSV or XLSX; and
the printable annual follow-up /reports/annual/<year>, for the region or a municipality,
in Swedish or English."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import force_locale
from flask_login import current_user, login_required

from app.clock import local_today
from app.exports.files import CsvDialect, file_name
from app.leads.labels import SOURCE_LABELS
from app.reports import downloads, service, wording
from app.reports.charts import bar_chart
from app.reports.counted import LeadSelection
from app.reports.forms import PERIOD_KINDS, municipality_choices, municipality_id, read_filter
from app.reports.periods import Period

bp = Blueprint("reports", __name__, url_prefix="/reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("")
@login_required
def index():
    today = local_today()
    chosen = read_filter(request.args, today)
    report = service.Report(current_user, chosen.selection, chosen.period, today)
    sections = [(key, heading, help_text, report.section(keys))
                for key, heading, help_text, keys in service.SECTIONS]
    return render_template("reports/index.html", chosen=chosen, sections=sections,
                           period_kinds=PERIOD_KINDS, source_labels=SOURCE_LABELS,
                           municipalities=municipality_choices(), chart=bar_chart,
                           sectors=[row[0] for row in report.table("inflow_sector").rows])


@bp.get("/<key>.<fmt>")
@login_required
def download(key: str, fmt: str):
    if key not in service.BUILDERS or fmt not in ("csv", "xlsx"):
        abort(404)
    today = local_today()
    chosen = read_filter(request.args, today)
    table = service.Report(current_user, chosen.selection, chosen.period, today).table(key)
    name = file_name(key.replace("_", "-"), fmt, today)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        body = downloads.to_csv(table, CsvDialect.named(request.args.get("format")))
        return Response(body, mimetype="text/csv", headers=headers)
    return Response(downloads.to_xlsx(table), mimetype=XLSX, headers=headers)


@bp.get("/annual/<int:year>")
@login_required
def annual(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    slug = request.args.get("municipality") or ""
    ident = municipality_id(slug) if slug else None
    if slug and ident is None:
        abort(404)
    lang = request.args.get("lang")
    locale = lang if lang in ("sv", "en") else None
    report = service.Report(current_user, LeadSelection(ident), Period.year(year),
                            local_today())
    municipalities = municipality_choices()
    where = dict(municipalities).get(slug, "Logistikregionen")

    def page() -> str:
        tables = report.section(service.ANNUAL_TABLES)
        return render_template("reports/annual.html", year=year, slug=slug, where=where,
                               tables=tables, summary=service.summary(report, year),
                               municipalities=municipalities, chart=bar_chart,
                               lang=locale, annual_summary=wording.annual_summary)

    if locale:
        with force_locale(locale):
            return page()
    return page()
