"""Export of the filtered list in CSV and XLSX, honouring scope and share level."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.extensions import db
from tests.leads_helpers import company_name, description, export_rows, login, make_lead


def _csv(client, query=""):
    return export_rows(client.get(f"/leads/export.csv{query}").get_data(as_text=True))


def test_csv_export_holds_only_visible_leads_at_their_level(client, world):
    login(client, "kumla")
    rows = {row["codename"]: row for row in _csv(client)}
    assert set(rows) == {"Projekt kumla_own", "Projekt arboga_shared_anonymised",
                         "Projekt arboga_shared_full"}
    anonymised = rows["Projekt arboga_shared_anonymised"]
    assert anonymised["company"] == "" and anonymised["description"] == ""
    assert anonymised["share_level"] == "Anonymiserad" and anonymised["land_min_m2"] == "10000"
    assert rows["Projekt arboga_shared_full"]["company"] == company_name("arboga_shared_full")


def test_export_follows_the_filters(client, world):
    login(client, "kumla")
    rows = _csv(client, "?municipality=kumla")
    assert [row["codename"] for row in rows] == ["Projekt kumla_own"]


def test_xlsx_export_matches_the_csv(client, world):
    login(client, "kumla")
    response = client.get("/leads/export.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "Kodnamn" and len(values) == 4
    flat = [str(v) for row in values for v in row]
    assert company_name("arboga_shared_anonymised") not in flat
    assert description("arboga_shared_anonymised") not in flat


def test_formulas_are_neutralised(client, users):
    lead = make_lead(users["kumla"], "formula", company=False)
    lead.sector = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    login(client, "kumla")
    assert _csv(client)[0]["sector"].startswith("'=")
