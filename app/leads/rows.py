"""The lead list's table rows, rendered here rather than in a Jinja loop.

/leads shows 50 rows of eight cells; in a Jinja loop each output goes through the
environment's attribute lookup and escaping, about a millisecond a page. Here a row is
one f-string, escaped as the kanban's cards are (app/leads/cards.py): what every row
shares once per page, names that repeat from row to row once per name, codename, company
and sector per row; ids are formatted as integers."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.clock import local_today
from app.leads import labels
from app.leads.access import ANONYMISED, OWNER
from app.leads.cards import EscapedOnce, url_around_id
from app.leads.queries import LeadPage


def render_rows(page: LeadPage, date_labels: dict[date, str]) -> Markup:
    """The <tr> of each lead of `page`; `date_labels` holds its dates, formatted."""
    names = EscapedOnce()
    show_url = url_around_id("leads.show")
    stage_names = {stage: names[text]
                   for stage, text in labels.translated(labels.STAGE_LABELS).items()}
    confidential = f' <span class="badge text-bg-warning">{names[_("Confidential")]}</span>'
    anonymised = f' <span class="badge text-bg-secondary">{names[_("Anonymised")]}</span>'
    today = local_today()
    html = []
    for row in page.rows:
        lead_id = f"{row.id:d}"
        title = labels.lead_title(row.codename, row.municipality_name,
                                  page.levels.get(row.id) == OWNER)
        due = page.next_followups.get(row.id)
        due_cell = ""
        if due:
            late = "text-danger fw-bold" if due < today else ""
            due_cell = f'<span class="{late}">{names[date_labels[due]]}</span>'
        html.append(
            f'<tr><td><a href="{lead_id.join(show_url)}">{escape(title)}</a>'
            f'{confidential if row.confidential else ""}'
            f'{anonymised if page.levels.get(row.id) == ANONYMISED else ""}</td>'
            f'<td>{escape(page.companies.get(row.id, ""))}</td>'
            f"<td>{stage_names[row.stage]}</td><td>{names[row.municipality_name]}</td>"
            f"<td>{names[row.owner_name]}</td><td>{escape(row.sector or '')}</td>"
            f"<td>{names[date_labels[row.received_on]]}</td><td>{due_cell}</td></tr>")
    return Markup("\n".join(html))  # noqa: S704 - every value in it was escaped (see the module)
