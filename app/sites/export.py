"""The site list as CSV or XLSX (the filters of /sites apply)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook

from app.sites import service
from app.sites.models import Site

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [_("ID"), _("Name"), _("Municipality"), _("Kind"), _("Property designation"),
            _("Latitude"), _("Longitude"), _("Address"), _("Land area (m²)"), _("Land area (ha)"),
            _("Building area (m²)"), _("Detaljplan"), _("Permitted use"), _("Price (SEK/m²)"),
            _("Price public"), _("Rail siding"), _("Available power (MW)"), _("Water and sewage"),
            _("Status"), _("Available from"), _("Owner"), _("Contact person"), _("Public"),
            _("Motorway junction (km)"), _("Intermodal terminal (km)"), _("Cargo airport (km)"),
            _("Completeness"), _("Missing")]


def _label(labels: dict, value: Any) -> str:
    return "" if value is None else str(labels[value.value])


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def row(site: Site) -> list[Any]:
    score = service.completeness(site)
    return [site.id, site.name, site.municipality.name, _label(service.kind_labels(), site.kind),
            site.property_designation, site.lat, site.lon, site.address, site.land_area_m2,
            None if site.land_area_ha is None else round(site.land_area_ha, 2),
            site.building_area_m2, _label(service.detaljplan_labels(), site.detaljplan_status),
            site.permitted_use, site.price_sek_m2, _yes_no(site.price_public),
            _label(service.rail_labels(), site.rail_siding), site.power_mw,
            _yes_no(site.water_sewage), _label(service.status_labels(), site.status),
            site.available_from, _label(service.owner_labels(), site.owner), site.contact_person,
            _yes_no(site.public), site.dist_motorway_km, site.dist_terminal_km,
            site.dist_airport_km, f"{score.present}/{score.total}", ", ".join(score.missing_labels)]


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(sites: Iterable[Site]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers())
    for site in sites:
        writer.writerow(["" if v is None else safe_cell(v) for v in row(site)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sites: Iterable[Site]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Sites"))
    sheet.append(headers())
    for site in sites:
        sheet.append([safe_cell(v) for v in row(site)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
