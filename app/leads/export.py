"""CSV and XLSX of the current filtered list, honouring scope and share level."""

from __future__ import annotations

import csv
import io
from typing import Any

from app.extensions import db
from app.leads import labels
from app.leads.service import LeadFilters, lead_query, record_views, share_levels, shows_company

EXPORT_LIMIT = 20000
COLUMNS = (
    "id", "codename", "stage", "municipality", "owner", "source", "received_on", "sector",
    "confidential", "share_level", "company", "orgnr", "description", "land_min_m2", "land_max_m2",
    "building_m2", "rail_siding", "motorway_km_max", "terminal_km_max", "power_mw", "water_sewage",
    "preferred_municipalities", "desired_start", "expected_jobs", "investment_msek",
)


def export_rows(user: Any, filters: LeadFilters, file_format: str) -> list[dict[str, Any]]:
    """The rows of an export in `file_format` (csv, xlsx); each confidential lead of
    another municipality in it is audited as exported."""
    rows = []
    statement = lead_query(user, filters).limit(EXPORT_LIMIT)
    leads = list(db.session.scalars(statement))
    for chunk in _chunks(leads, 500):
        levels = share_levels(user, chunk)
        for lead in chunk:
            level = levels.get(lead.id)
            full = shows_company(level)
            rows.append({
                "id": lead.id, "codename": lead.codename, "stage": labels.stage_label(lead.stage),
                "municipality": lead.municipality.name, "owner": lead.owner.name,
                "source": labels.label(labels.SOURCE_LABELS, lead.source),
                "received_on": lead.received_on.isoformat(), "sector": lead.sector or "",
                "confidential": "1" if lead.confidential else "0", "share_level": level,
                "company": (lead.company.name if full and lead.company else ""),
                "orgnr": (lead.company.orgnr or "" if full and lead.company else ""),
                "description": (lead.description or "") if full else "",
                "land_min_m2": lead.land_min_m2, "land_max_m2": lead.land_max_m2,
                "building_m2": lead.building_m2, "rail_siding": labels.yes_no_data(lead.rail_siding),
                "motorway_km_max": lead.motorway_km_max, "terminal_km_max": lead.terminal_km_max,
                "power_mw": lead.power_mw, "water_sewage": labels.yes_no_data(lead.water_sewage),
                "preferred_municipalities": lead.preferred_municipalities or "",
                "desired_start": lead.desired_start.isoformat() if lead.desired_start else "",
                "expected_jobs": lead.expected_jobs, "investment_msek": lead.investment_msek,
            })
    record_views(user, leads, "lead.exported_confidential", {"format": file_format})
    return rows


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_safe_cell(row[column]) for column in COLUMNS])
    return "\ufeff" + buffer.getvalue()


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook  # imported when used: it slows every worker's start

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leads")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_safe_cell(row[column]) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
