"""The lead list's table rows: the values of each row, which templates/leads/_rows.html
lays out (and escapes, as every template does).

/leads shows 50 rows of eight cells. As with the kanban's cards (app/leads/cards.py),
what every row shares is computed once per page and each row comes to the template as
a plain tuple (`Row`) that its loop unpacks, not an object whose attributes Jinja would
look up per output."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from app.clock import local_today
from app.leads import labels
from app.leads.access import ANONYMISED, OWNER
from app.leads.cards import url_around_id
from app.leads.queries import LeadPage


class ListPage(NamedTuple):
    """What every row of one page shares."""

    confidential: str  # the badges' words
    anonymised: str
    new_web: str


class Row(NamedTuple):
    """One row, in the order templates/leads/_rows.html unpacks it."""

    url: str  # the lead's page
    title: str  # the codename, with the municipality on another municipality's lead
    confidential: bool
    anonymised: bool
    company: str  # "" where the share level hides it
    stage: str
    municipality: str
    owner: str
    sector: str
    received: str  # formatted
    due: str | None  # the earliest open follow-up's date, formatted
    late: bool  # that date has passed
    new_web: bool  # a web or API inquiry not yet opened by its municipality (ours only)


def render_rows(page: LeadPage, date_labels: dict[date, str]) -> Markup:
    """The <tr> of each lead of `page`; `date_labels` holds its dates, formatted."""
    stage_names = labels.translated(labels.STAGE_LABELS)
    today, title = local_today(), labels.lead_titles()
    show_url = url_around_id("leads.show")
    rows = []
    for row in page.rows:
        level = page.levels.get(row.id)
        due = page.next_followups.get(row.id)
        rows.append(Row(
            str(row.id).join(show_url), title(row.codename, row.municipality_name, level == OWNER),
            bool(row.confidential), level == ANONYMISED, page.companies.get(row.id, ""),
            stage_names[row.stage], row.municipality_name, row.owner_name, row.sector or "",
            date_labels[row.received_on], date_labels[due] if due else None,
            due is not None and due < today, level == OWNER and bool(row.web_inquiry_new)))
    shared = ListPage(_("Confidential"), _("Anonymised"), _("New web inquiry"))
    macros: Any = current_app.jinja_env.get_template("leads/_rows.html").module
    return macros.rows(rows, shared)
