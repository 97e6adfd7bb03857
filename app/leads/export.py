"""CSV and XLSX of the current filtered list, honouring scope and share level.

The leads are chosen and audited first (`export_lead_ids`), then their rows produced a
chunk at a time (`iter_export_rows`), so that a CSV streams and
an XLSX is written with openpyxl's write-only workbook with flat memory; an XLSX of more
than EXPORT_JOB_THRESHOLD rows is written by a job of the task queue (app.exports).
Every cell goes through app.exports.cells.safe_cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import scope
from app.core.models import Municipality
from app.exports.cells import safe_cell
from app.exports.files import CsvDialect
from app.extensions import db
from app.leads import labels
from app.leads.access import share_levels, shows_company
from app.leads.models import Lead
from app.leads.queries import LeadFilters, lead_query, record_views
from app.viewer import Viewer

CHUNK = 500
# (key, header): the headers are the product's own labels, in the user's language.
COLUMNS = (
    ("id", _l("ID")), ("codename", _l("Codename")), ("stage", _l("Stage")),
    ("municipality", _l("Municipality")), ("owner", _l("Owner")), ("source", _l("Source")),
    ("received_on", _l("Received")), ("sector", _l("Sector")),
    ("confidential", _l("Confidential")), ("share_level", _l("Share level")),
    ("company", _l("Company")), ("orgnr", _l("Organisation number")),
    ("description", _l("Description")), ("land_min_m2", _l("Land area min (m²)")),
    ("land_max_m2", _l("Land area max (m²)")),
    ("contiguous_m2", _l("Largest contiguous land area (m²)")),
    ("building_m2", _l("Building area (m²)")), ("rail_siding", _l("Rail siding needed")),
    ("rail_accept_possible", _l("A site where a rail siding is possible will do")),
    ("motorway_km_max", _l("Max km to motorway")),
    ("terminal_km_max", _l("Max km to intermodal terminal")),
    ("airport_km_max", _l("Max km to cargo airport")), ("power_mw", _l("Power (MW)")),
    ("power_lead_time_months", _l("Can wait for more power (months)")),
    ("water_sewage", _l("Water and sewage needed")),
    ("preferred_municipalities", _l("Preferred municipalities")),
    ("desired_start", _l("Desired start")), ("price_max_sek_m2", _l("Max price (SEK/m²)")),
    ("expected_jobs", _l("Expected jobs")), ("investment_msek", _l("Investment (MSEK)")),
)
KEYS = tuple(key for key, _label in COLUMNS)
FILE_STEM, SHEET = _l("leads"), _l("Leads")


def headers() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


def count_rows(user: Viewer, filters: LeadFilters) -> int:
    """How many leads an export of the list with `filters` holds."""
    visible = lead_query(user, filters).order_by(None).with_only_columns(Lead.id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(visible)) or 0


def export_lead_ids(user: Viewer, filters: LeadFilters, file_format: str) -> list[int]:
    """The ids of every lead an export in `file_format` (csv, xlsx) holds, in the list's
    order (ids only: 100,000 leads are a few megabytes; the rows are then read a chunk at
    a time). Each confidential lead of another municipality among them is audited as
    exported at once (committed), before any row is written."""
    statement = lead_query(user, filters).with_only_columns(
        Lead.id, Lead.confidential, Lead.municipality_id)
    leads = db.session.execute(statement).all()
    record_views(user, leads, "lead.exported_confidential", {"format": file_format})
    return [lead.id for lead in leads]


def iter_export_rows(user: Viewer, ids: list[int]) -> Iterator[dict[str, Any]]:
    """The export's rows of the leads `ids` (export_lead_ids), loaded a chunk at a time
    so that memory stays flat."""
    names = _Labels(labels.translated(labels.STAGE_LABELS),
                    labels.translated(labels.SOURCE_LABELS),
                    labels.translated(labels.LEVEL_LABELS),
                    {m.slug: m.name for m in db.session.scalars(sa.select(Municipality))},
                    str(_l("Yes")), str(_l("No")))
    for start in range(0, len(ids), CHUNK):
        chunk_ids = ids[start:start + CHUNK]
        # Through the scope again: the rows are produced later (a streamed response).
        found = db.session.scalars(scope.select_visible(user, Lead)
                                   .where(Lead.id.in_(chunk_ids)))
        by_id = {lead.id: lead for lead in found}
        leads = [by_id[ident] for ident in chunk_ids if ident in by_id]
        levels = share_levels(user, leads)
        yield from [_row(lead, levels.get(lead.id), names) for lead in leads]
        # the chunk's leads are unreferenced now: the session's identity map lets them go


@dataclass(frozen=True)
class _Labels:
    """The labels the rows show, translated once per export (not once per row)."""

    stages: dict
    sources: dict
    levels: dict
    municipalities: dict[str, str]
    yes: str
    no: str

    def yes_no(self, value: bool | None) -> str:
        return "" if value is None else (self.yes if value else self.no)


def _row(lead: Lead, level: str | None, names: _Labels) -> dict[str, Any]:
    """A lead as the product shows it: labels, not codes; dates and numbers as such."""
    full = shows_company(level)
    return {
        "id": lead.id, "codename": lead.codename, "stage": labels.label(names.stages, lead.stage),
        "municipality": lead.municipality.name, "owner": lead.owner.name,
        "source": labels.label(names.sources, lead.source),
        "received_on": lead.received_on, "sector": lead.sector or "",
        "confidential": names.yes_no(lead.confidential),
        "share_level": labels.label(names.levels, level),
        "company": (lead.company.name if full and lead.company else ""),
        "orgnr": (lead.company.orgnr or "" if full and lead.company else ""),
        "description": (lead.description or "") if full else "",
        "land_min_m2": lead.land_min_m2, "land_max_m2": lead.land_max_m2,
        "contiguous_m2": lead.contiguous_m2,
        "building_m2": lead.building_m2, "rail_siding": names.yes_no(lead.rail_siding),
        "rail_accept_possible": names.yes_no(lead.rail_accept_possible),
        "motorway_km_max": lead.motorway_km_max, "terminal_km_max": lead.terminal_km_max,
        "airport_km_max": lead.airport_km_max, "power_mw": lead.power_mw,
        "power_lead_time_months": lead.power_lead_time_months,
        "water_sewage": names.yes_no(lead.water_sewage),
        "price_max_sek_m2": lead.price_max_sek_m2,
        "preferred_municipalities": ", ".join(names.municipalities.get(slug, slug)
                                              for slug in lead.preferred_slugs),
        "desired_start": lead.desired_start,
        "expected_jobs": lead.expected_jobs, "investment_msek": lead.investment_msek,
    }


def iter_csv(rows: Iterator[dict[str, Any]],
             dialect: CsvDialect = CsvDialect.named(None)) -> Iterator[str]:
    """The CSV (UTF-8 with a byte-order mark, the dialect's separators) a chunk of lines
    at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter)
    writer.writerow(headers())
    yield "\ufeff" + _take(buffer)
    for number, row in enumerate(rows, 1):
        writer.writerow([safe_cell(dialect.cell(row[key])) for key in KEYS])
        if number % CHUNK == 0:
            yield _take(buffer)
    yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def to_csv(rows: Iterator[dict[str, Any]], dialect: CsvDialect = CsvDialect.named(None)) -> str:
    return "".join(iter_csv(rows, dialect))


def write_xlsx(rows: Iterator[dict[str, Any]], target: IO[bytes] | str) -> int:
    """Write the workbook to `target` (a file name or binary file); returns the row count."""
    from openpyxl import Workbook  # imported when used: it slows every worker's start

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET))
    sheet.append(headers())
    count = 0
    for row in rows:
        sheet.append([safe_cell(row[key]) for key in KEYS])
        count += 1
    workbook.save(target)
    return count


def to_xlsx(rows: Iterator[dict[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(rows, buffer)
    return buffer.getvalue()
