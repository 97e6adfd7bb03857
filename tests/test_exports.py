"""Exports that never break and never block: every cell cleaned, CSV streamed, big XLSX
made by a job of the task queue (immediate mode here) for its requester alone, for 24 h."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app.clock import local_today
from app.core.models import AuditEvent
from app.exports import service
from app.exports.cells import safe_cell
from app.exports.models import Export, ExportKind, ExportStatus
from app.extensions import db
from app.leads.models import ShareLevel
from tests.factories import make_site, make_user
from tests.leads_helpers import (
    company_name,
    description,
    export_header,
    export_rows,
    login,
    make_lead,
    share,
)

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
# Every C0 control character openpyxl refuses (all but tab, line feed, carriage return).
CONTROL_CHARACTERS = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"]


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    return {"EXPORTS_DIR": str(tmp_path / "exports")}


def _sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def _exported(action: str = "lead.exported_confidential") -> list[tuple]:
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                .order_by(AuditEvent.id))
    return [(event.object_id, event.actor_id, event.after) for event in events]


# --- item 1: control characters --------------------------------------------------------


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_xlsx_export_does_not_break_on_control_character_in_codename_or_description(
        client, users, character):
    if character == "\x00" and db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL stores no NUL in text")
    lead = make_lead(users["kumla"], "ctl")
    lead.codename = f"Projekt{character}VT"
    lead.description = f"Rad ett{character}rad två"
    db.session.commit()
    login(client, "kumla")
    response = client.get("/leads/export.xlsx")
    assert response.status_code == 200
    header, row = _sheet(response.data)
    assert row[header.index(export_header("codename"))] == "ProjektVT"
    assert row[header.index(export_header("description"))] == "Rad ettrad två"


def test_sites_xlsx_export_does_not_break_on_vertical_tab(client, users):
    make_site(name="Tomt\x0bett", address="Väg\x1b 1\x0c")
    login(client, "kumla")
    response = client.get("/sites/export.xlsx")
    assert response.status_code == 200
    names = [row[1] for row in _sheet(response.data)[1:]]
    assert names == ["Tomtett"]


@pytest.mark.parametrize("code", range(0x20))
def test_the_cleaning_function_leaves_nothing_openpyxl_refuses(code):
    cleaned = safe_cell(f"a{chr(code)}b")
    assert ILLEGAL_CHARACTERS_RE.search(cleaned) is None
    assert cleaned == (f"a{chr(code)}b" if chr(code) in "\t\n\r" else "ab")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\x0b=1+1"])
def test_the_cleaning_function_defuses_formulas(value):
    assert safe_cell(value).startswith("'")


def test_the_cleaning_function_keeps_numbers_dates_and_none():
    assert safe_cell(-5) == -5 and safe_cell(None) is None and safe_cell(1.5) == 1.5


def test_xlsx_export_defuses_formulas(client, users):
    lead = make_lead(users["kumla"], "formula", company=False)
    lead.sector = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    login(client, "kumla")
    header, row = _sheet(client.get("/leads/export.xlsx").data)
    assert row[header.index(export_header("sector"))] == "'=HYPERLINK(\"http://x\")"


# --- CSV streams -----------------------------------------------------------------------


def test_leads_csv_export_streams_with_share_levels_and_audit(client, users, world):
    secret = world["arboga_unshared_confidential"]
    share(secret, "kumla", ShareLevel.ANONYMISED)
    login(client, "kumla")
    response = client.get("/leads/export.csv")
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="arenden-{local_today().isoformat()}.csv"')
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffID;Kodnamn;Skede") or text.startswith("\ufeffID;Kodnamn;")
    rows = {row["codename"]: row for row in export_rows(text)}
    assert set(rows) == {"Projekt kumla_own", "Projekt arboga_shared_anonymised",
                         "Projekt arboga_shared_full", "Projekt arboga_unshared_confidential"}
    assert rows["Projekt arboga_shared_anonymised"]["company"] == ""
    assert rows["Projekt arboga_shared_anonymised"]["description"] == ""
    assert rows["Projekt arboga_unshared_confidential"]["description"] == ""
    assert rows["Projekt arboga_shared_full"]["company"] == company_name("arboga_shared_full")
    assert description("arboga_shared_anonymised") not in text
    assert _exported() == [(secret.id, users["kumla"].id, {"format": "csv"})]


def test_leads_csv_export_keeps_the_list_order_across_chunks(client, users, monkeypatch):
    from app.leads import export

    monkeypatch.setattr(export, "CHUNK", 2)
    for n in range(5):
        make_lead(users["kumla"], f"n{n}", company=False)
    login(client, "kumla")
    text = client.get("/leads/export.csv?sort=codename").get_data(as_text=True)
    assert [row["codename"] for row in export_rows(text)] == [f"Projekt n{n}" for n in range(5)]


def test_sites_csv_export_streams(client, users):
    make_site(name="=cmd|' /C calc'!A0")
    make_site(name="Andra tomten")
    login(client, "kumla")
    response = client.get("/sites/export.csv")
    assert response.is_streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0][1] == "Namn"
    assert sorted(row[1] for row in rows[1:]) == ["'=cmd|' /C calc'!A0", "Andra tomten"]


# --- item 9: big XLSX exports are jobs --------------------------------------------------


@pytest.fixture
def small_threshold(app):
    app.config["EXPORT_JOB_THRESHOLD"] = 2


@pytest.fixture
def clock():
    """The time, frozen at START; `clock.shift(delta)` moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _only_export() -> Export:
    return db.session.scalars(sa.select(Export)).one()


def test_big_leads_xlsx_export_redirects_to_exports_and_the_job_writes_the_file(
        client, users, world, small_threshold, clock):
    secret = world["arboga_unshared_confidential"]
    share(secret, "kumla", ShareLevel.ANONYMISED)
    login(client, "kumla")
    response = client.post("/leads/export.xlsx?sort=codename")
    assert response.status_code == 302 and response.location.endswith("/exports")

    export = _only_export()
    assert (export.status, export.kind, export.row_count) == (ExportStatus.DONE, ExportKind.LEADS, 4)
    assert (export.user_id, export.municipality_id) == (users["kumla"].id,
                                                       users["kumla"].municipality_id)
    assert export.filters["sort"] == "codename"
    assert export.expires_at == START + timedelta(hours=24)
    assert _exported() == [(secret.id, users["kumla"].id, {"format": "xlsx"})]

    page = client.get("/exports").get_data(as_text=True)
    assert "Klar" in page and f"/exports/{export.id}/download" in page
    clock.shift(timedelta(hours=1))
    download = client.get(f"/exports/{export.id}/download")
    assert download.status_code == 200
    rows = _sheet(download.data)
    codenames = [row[1] for row in rows[1:]]
    assert codenames == sorted(codenames) and len(codenames) == 4
    flat = [str(value) for row in rows for value in row]
    assert description("arboga_shared_anonymised") not in flat
    assert company_name("arboga_unshared_confidential") not in flat


def test_small_xlsx_export_is_still_made_in_the_request(client, users, world, small_threshold):
    login(client, "kumla")
    response = client.get("/leads/export.xlsx?municipality=arboga")
    assert response.status_code == 200 and len(_sheet(response.data)) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Export)) == 0


@pytest.mark.parametrize("other", ["viewer", "kumla-admin", "admin", "arboga"])
def test_only_the_requester_downloads_an_export(client, users, world, small_threshold, other):
    make_user("kumla-admin@test.example", "kumla", "admin")
    login(client, "kumla")
    client.post("/leads/export.xlsx")
    export = _only_export()
    client.post("/logout")
    login(client, other)
    assert client.get(f"/exports/{export.id}/download").status_code == 404
    assert f"/exports/{export.id}/download" not in client.get("/exports").get_data(as_text=True)


def test_export_download_needs_a_login(client, users, world, small_threshold):
    login(client, "kumla")
    client.post("/leads/export.xlsx")
    export = _only_export()
    client.post("/logout")
    assert client.get(f"/exports/{export.id}/download").status_code == 302


def test_export_expires_after_24_hours_and_its_file_is_deleted(
        app, client, users, world, small_threshold, clock):
    login(client, "kumla")
    client.post("/leads/export.xlsx")
    export = _only_export()
    path = Path(app.config["EXPORTS_DIR"]) / export.file_name
    assert path.is_file()
    clock.shift(timedelta(hours=23, minutes=59))
    login(client, "kumla")  # sessions last 12 hours
    assert client.get(f"/exports/{export.id}/download").status_code == 200
    assert service.delete_expired_exports() == 0
    clock.shift(timedelta(minutes=1))
    assert client.get(f"/exports/{export.id}/download").status_code == 404
    assert service.delete_expired_exports() == 1
    assert not path.exists()
    db.session.refresh(export)
    assert (export.status, export.file_name) == (ExportStatus.EXPIRED, None)
    assert "Utgången" in client.get("/exports").get_data(as_text=True)


def test_the_job_uses_the_requesters_scope_when_it_runs(app, client, users, world):
    """A share withdrawn between the request and the job: the lead is not in the file."""
    from app.leads.models import LeadShare
    from app.leads.queries import LeadFilters

    export = Export(user_id=users["kumla"].id, municipality_id=users["kumla"].municipality_id,
                    kind=ExportKind.LEADS, filters={**LeadFilters().__dict__})
    db.session.add(export)
    db.session.commit()
    db.session.execute(sa.delete(LeadShare))
    db.session.commit()
    service.run_export(export.id)
    db.session.refresh(export)
    assert (export.status, export.row_count) == (ExportStatus.DONE, 1)


def test_the_job_of_a_deactivated_requester_fails_without_a_file(app, users, world):
    from app.leads.queries import LeadFilters

    export = Export(user_id=users["kumla"].id, municipality_id=users["kumla"].municipality_id,
                    kind=ExportKind.LEADS, filters={**LeadFilters().__dict__})
    db.session.add(export)
    users["kumla"].active = False
    db.session.commit()
    service.run_export(export.id)
    db.session.refresh(export)
    assert export.status == ExportStatus.FAILED and export.file_name is None
    assert list(Path(app.config["EXPORTS_DIR"]).iterdir()) == []


def test_big_sites_xlsx_export_is_a_job_too(client, users, small_threshold):
    for n in range(4):
        make_site(name=f"Tomt {n}")
    login(client, "kumla")
    response = client.post("/sites/export.xlsx")
    assert response.status_code == 302 and response.location.endswith("/exports")
    export = _only_export()
    assert (export.kind, export.status, export.row_count) == (ExportKind.SITES,
                                                              ExportStatus.DONE, 4)
    rows = _sheet(client.get(f"/exports/{export.id}/download").data)
    assert [row[1] for row in rows[1:]] == [f"Tomt {n}" for n in range(4)]


def test_exports_page_lists_only_ones_own_exports(client, users, world, small_threshold):
    login(client, "kumla")
    client.post("/leads/export.xlsx")
    client.post("/logout")
    login(client, "viewer")
    assert "Du har inga exporter." in client.get("/exports").get_data(as_text=True)


@pytest.mark.parametrize(("locale", "header"), [("en", "Name"), ("sv", "Namn")])
def test_the_job_writes_labels_in_the_requesters_language(app, users, locale, header):
    """The consumer has no request: the job takes the requester's language."""
    from app.sites.service import SiteFilter

    users["kumla"].locale = locale
    make_site(name="Tomt")
    export = Export(user_id=users["kumla"].id, municipality_id=users["kumla"].municipality_id,
                    kind=ExportKind.SITES, filters={**SiteFilter().__dict__})
    db.session.add(export)
    db.session.commit()
    service.run_export(export.id)
    db.session.refresh(export)
    rows = _sheet((Path(app.config["EXPORTS_DIR"]) / export.file_name).read_bytes())
    assert rows[0][1] == header


@pytest.fixture
def served(app):
    """The app behind a real WSGI server in a thread (no app context of the test's): the
    server iterates a streamed body after the view's request teardown, as gunicorn does."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_streamed_csv_exports_work_behind_a_real_server(served, users, world):
    import requests

    from tests.factories import TEST_PASSWORD

    share(world["arboga_unshared_confidential"], "kumla", ShareLevel.ANONYMISED)  # audited
    make_site(name="Tomt\x0b ett")
    session = requests.Session()
    assert session.post(f"{served}/login", allow_redirects=False, timeout=10, data={
        "email": "kumla@test.example", "password": TEST_PASSWORD}).status_code == 302
    leads = session.get(f"{served}/leads/export.csv", timeout=30)
    assert leads.status_code == 200 and "Content-Length" not in leads.headers  # streamed
    assert len(list(csv.DictReader(io.StringIO(leads.content.decode().lstrip("\ufeff"))))) == 4
    sites = session.get(f"{served}/sites/export.csv", timeout=30).content.decode()
    assert "Namn" in sites and "Tomt ett" in sites


def test_an_export_whose_job_was_lost_is_marked_failed_after_24_hours(app, users, clock):
    export = Export(user_id=users["kumla"].id, municipality_id=users["kumla"].municipality_id,
                    kind=ExportKind.LEADS, filters={})
    db.session.add(export)
    db.session.commit()
    clock.shift(timedelta(hours=23))
    service.delete_expired_exports()
    assert db.session.get(Export, export.id).status == ExportStatus.QUEUED
    clock.shift(timedelta(hours=1))
    service.delete_expired_exports()
    assert db.session.get(Export, export.id).status == ExportStatus.FAILED


@pytest.mark.parametrize("path", ["/leads/export.xlsx?sort=codename", "/sites/export.xlsx"])
def test_a_get_never_starts_an_export_job(client, users, world, small_threshold, path):
    for n in range(4):
        make_site(name=f"Tomt {n}")
    login(client, "kumla")
    page = client.get(path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'data-testid="start-export"' in body and 'method="post"' in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Export)) == 0
    started = client.post(path)
    assert started.status_code == 302 and started.location.endswith("/exports")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Export)) == 1


@pytest.mark.sqlite_only
def test_leads_csv_export_is_not_capped_at_20000_rows(client, users):
    """Issue 13: the CSV streams, so it holds every lead the user sees (it stopped at
    20,000)."""
    from app.leads.models import Lead, Source, Stage

    kumla = users["kumla"]
    rows = [{"codename": f"Projekt {n:05d}", "source": Source.DIRECT, "received_on": START.date(),
             "stage": Stage.NEW, "owner_id": kumla.id, "municipality_id": kumla.municipality_id}
            for n in range(20_001)]
    db.session.execute(sa.insert(Lead), rows)
    db.session.commit()
    login(client, "kumla")
    response = client.get("/leads/export.csv?sort=codename")
    assert response.is_streamed
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 1 + 20_001
    assert lines[-1].split(";")[1] == "Projekt 20000"


def test_a_site_export_after_23_utc_is_named_after_the_swedish_date(client, users):
    """'Today' is the date in Stockholm (app.clock), not in UTC."""
    make_site(name="Sen tomt")
    with time_machine.travel(datetime(2026, 12, 4, 23, 30, tzinfo=UTC), tick=False):
        login(client, "kumla")
        response = client.get("/sites/export.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="objekt-2026-12-05.csv"'
