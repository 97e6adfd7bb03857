"""The reports' pages: /reports with its filter, charts, tables and downloads, and the
printable annual follow-up in Swedish and English (app/reports/routes.py)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from app.reports import routes
from tests import reports_world
from tests.leads_helpers import login
from tests.reports_world import TODAY


@pytest.fixture
def world(app, users, monkeypatch):
    monkeypatch.setattr(routes, "local_today", lambda: TODAY)
    with app.test_request_context():
        return reports_world.build(users)


def test_reports_need_a_login(client):
    response = client.get("/reports")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["hallsberg", "viewer", "admin"])
def test_reports_page_shows_every_figure_with_chart_and_table(client, world, who):
    login(client, who)
    html = client.get("/reports?period=year&year=2026").get_data(as_text=True)
    assert html.count('data-testid="figure-') == 17
    assert "<svg" in html and 'role="img"' in html


def test_the_hallsberg_advisor_sees_the_won_figures_in_swedish(client, world):
    login(client, "hallsberg")
    html = client.get("/reports?year=2026").get_data(as_text=True)
    won = html.split('data-testid="figure-won"')[1].split("</section>")[0]
    assert "310" in won and "750" in won and "15,5" in won


def test_a_bad_filter_falls_back_with_a_message(client, world):
    login(client, "hallsberg")
    response = client.get("/reports?period=custom&from=2026-05-01&to=2026-01-01&source=x")
    assert response.status_code == 200
    assert "alert-warning" in response.get_data(as_text=True)


def test_a_table_downloads_as_csv_with_the_filter(client, world):
    login(client, "hallsberg")
    response = client.get("/reports/answered.csv?period=year&year=2026")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[-1] == ["Alla", "5", "3", "1", "1", "60"]
    comma = client.get("/reports/won.csv?year=2026&format=csv-comma").get_data(as_text=True)
    assert "Alla,,3,310,750,20,15.5" in comma


def test_a_table_downloads_as_xlsx_with_numbers_as_numbers(client, world):
    login(client, "hallsberg")
    response = client.get("/reports/won.xlsx?year=2026&municipality=hallsberg")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert values[1][:4] == ("Hallsberg", "2026", 2, 160)
    assert len(values) == 2


def test_an_unknown_table_or_format_is_404(client, world):
    login(client, "hallsberg")
    assert client.get("/reports/nope.csv").status_code == 404
    assert client.get("/reports/won.pdf").status_code == 404


def test_the_annual_follow_up_in_swedish_matches_the_hand_count(client, world):
    login(client, "hallsberg")
    html = client.get("/reports/annual/2026").get_data(as_text=True)
    summary = re.search(r'data-testid="summary">([^<]*)<', html).group(1)
    assert summary == ("2026 etablerades 3 företag i Logistikregionen med 310 "
                       "arbetstillfällen, investeringar på 750 mnkr och 20,0 ha mark. "
                       "5 ärenden kom in; 60,0 % besvarades inom 2 arbetsdagar. "
                       "0 ärenden avslutades utan etablering.")
    assert "reports.css" in html


def test_the_annual_follow_up_in_english_for_one_municipality(client, world):
    login(client, "hallsberg")
    html = client.get("/reports/annual/2026?municipality=hallsberg&lang=en").get_data(
        as_text=True)
    summary = re.search(r'data-testid="summary">([^<]*)<', html).group(1)
    assert summary.startswith("In 2026, 2 companies were established in Hallsberg with 160 jobs")
    assert '<html lang="en">' in html


def test_the_annual_follow_up_of_a_quiet_year(client, world):
    login(client, "kumla")
    html = client.get("/reports/annual/2026?lang=en").get_data(as_text=True)
    assert "In 2026, no company was established in Logistikregionen." in html
    assert client.get("/reports/annual/2026?municipality=nowhere").status_code == 404
    assert client.get("/reports/annual/1900").status_code == 404
