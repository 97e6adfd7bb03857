"""The site list as CSV or XLSX (the filters of /sites apply).

Sites are read a chunk at a time, so the CSV streams and the XLSX (openpyxl write-only)
keeps memory flat; an XLSX of more than EXPORT_JOB_THRESHOLD sites is written by a job
of the task queue (app.exports). Every cell goes through app.exports.cells.safe_cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.exports.cells import safe_cell
from app.exports.files import CsvDialect
from app.extensions import db
from app.sites import labels, service
from app.sites.models import Site

CHUNK = 500
FILE_STEM, SHEET = _l("sites"), _l("Sites")


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
    return [site.id, site.name, site.municipality.name, _label(labels.kind_labels(), site.kind),
            site.property_designation, site.lat, site.lon, site.address, site.land_area_m2,
            None if site.land_area_ha is None else round(site.land_area_ha, 2),
            site.building_area_m2, _label(labels.detaljplan_labels(), site.detaljplan_status),
            site.permitted_use, site.price_sek_m2, _yes_no(site.price_public),
            _label(labels.rail_labels(), site.rail_siding), site.power_mw,
            _yes_no(site.water_sewage), _label(labels.status_labels(), site.status),
            site.available_from, _label(labels.owner_labels(), site.owner), site.contact_person,
            _yes_no(site.public), site.dist_motorway_km, site.dist_terminal_km,
            site.dist_airport_km, f"{score.present}/{score.total}", ", ".join(score.missing_labels)]


def count_sites(statement: sa.Select) -> int:
    """How many sites the export of `statement` (service.filtered_sites) holds."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        statement.order_by(None).with_only_columns(Site.id).subquery())) or 0


def iter_sites(statement: sa.Select) -> Iterator[Site]:
    """The sites of `statement`, loaded a chunk at a time in its order."""
    ids = list(db.session.scalars(statement.with_only_columns(Site.id)))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        by_id = {site.id: site for site in db.session.scalars(statement.where(Site.id.in_(chunk)))}
        yield from (by_id[ident] for ident in chunk if ident in by_id)


def iter_csv(sites: Iterable[Site],
             dialect: CsvDialect = CsvDialect.named(None)) -> Iterator[bytes]:
    """The CSV (UTF-8 with a byte-order mark, the dialect's separators) a chunk of lines
    at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter)
    writer.writerow(headers())
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for number, site in enumerate(sites, 1):
        writer.writerow([safe_cell(dialect.cell(v)) for v in row(site)])
        if number % CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def to_csv(sites: Iterable[Site]) -> bytes:
    return b"".join(iter_csv(sites))


def write_xlsx(sites: Iterable[Site], target: IO[bytes] | str) -> int:
    """Write the workbook to `target` (a file name or binary file); returns the site count."""
    from openpyxl import Workbook  # imported when used: it slows every worker's start

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET))
    sheet.append(headers())
    count = 0
    for site in sites:
        sheet.append([safe_cell(v) for v in row(site)])
        count += 1
    workbook.save(target)
    return count


def to_xlsx(sites: Iterable[Site]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sites, buffer)
    return buffer.getvalue()
