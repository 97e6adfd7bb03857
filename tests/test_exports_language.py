"""Issue 18, exports an advisor can open: headers in the user's language, values as the
product shows them (labels, not codes), real dates and numbers as typed cells in XLSX,
a dated file name and a sheet name in the user's language; CSV in UTF-8 with a byte-order
mark and semicolons with decimal commas for Swedish Excel, `?format=csv-comma` otherwise."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from app.clock import local_today
from app.extensions import db
from app.leads.models import ShareLevel
from tests.leads_helpers import export_rows, login, make_lead, share


def _lead(users):
    lead = make_lead(users["arboga"], "export", confidential=False)
    lead.power_mw, lead.rail_siding, lead.preferred_municipalities = 5.5, True, "kumla,orebro"
    lead.desired_start = date(2027, 3, 1)
    db.session.commit()
    share(lead, "kumla", ShareLevel.ANONYMISED)
    return lead


def test_the_csv_speaks_swedish_to_swedish_excel(client, users):
    _lead(users)
    login(client, "kumla")
    response = client.get("/leads/export.csv")
    stamp = local_today().isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="arenden-{stamp}.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffID;Kodnamn;")
    (row,) = export_rows(text)
    assert (row["share_level"], row["rail_siding"], row["confidential"]) == (
        "Anonymiserad", "Ja", "Nej")
    assert row["power_mw"] == "5,5" and row["preferred_municipalities"] == "Kumla, Örebro"
    assert row["desired_start"] == "2027-03-01" and row["municipality"] == "Arboga"
    assert "anonymised" not in text and "kumla,orebro" not in text


def test_csv_comma_for_other_spreadsheets(client, users):
    _lead(users)
    login(client, "kumla")
    text = client.get("/leads/export.csv?format=csv-comma").get_data(as_text=True)
    header, line = text.lstrip("\ufeff").splitlines()[:2]
    assert header.startswith("ID,Kodnamn,") and ",5.5," in line


def test_the_workbook_has_typed_cells_and_english_for_an_english_user(client, users):
    _lead(users)
    users["kumla"].locale = "en"
    db.session.commit()
    login(client, "kumla")
    response = client.get("/leads/export.xlsx")
    stamp = local_today().isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="leads-{stamp}.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet.title == "Leads"
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    values = dict(zip(header, row, strict=True))
    assert values["Share level"] == "Anonymised" and values["Rail siding needed"] == "Yes"
    assert values["Power (MW)"] == 5.5 and values["Land area min (m²)"] == 10000
    assert values["Desired start"].date() == date(2027, 3, 1)  # a date cell, not text
    assert values["Received"].date() == date(2026, 10, 1)
