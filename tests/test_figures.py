"""Issue 18: figures written one way, in the reader's language, on every page (one helper,
app.i18n.Figures, the template filter `qty`)."""

from __future__ import annotations

from app.extensions import db
from tests.factories import make_site
from tests.leads_helpers import login, make_lead

NBSP = "\u00a0"


def test_the_lead_page_writes_figures_the_swedish_and_the_english_way(client, users):
    lead = make_lead(users["kumla"], "figurer")
    lead.land_min_m2, lead.land_max_m2 = 30_000, 80_000
    lead.power_mw, lead.motorway_km_max, lead.investment_msek = 4.0, 2.5, 1_250.0
    lead.expected_jobs = 1_200
    db.session.commit()
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert f"30{NBSP}000 – 80{NBSP}000" in page
    assert ">4<" in page and "4.0" not in page  # power: no ".0"
    assert ">2,5<" in page and f">1{NBSP}200<" in page and f">1{NBSP}250<" in page
    users["kumla"].locale = "en"
    db.session.commit()
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "30,000 – 80,000" in page and ">2.5<" in page and ">1,200<" in page


def test_the_site_pages_use_the_same_figures(client, users):
    site = make_site("kumla", name="Figurtomten", land_area_m2=150_000, power_mw=5.5,
                     price_sek_m2=1_200, lat=59.13, lon=15.14)
    login(client, "kumla")
    listing = client.get("/sites").get_data(as_text=True)
    assert f"150{NBSP}000 m²" in listing and "5,5 MW" in listing
    page = client.get(f"/sites/{site.id}").get_data(as_text=True)
    assert f"150{NBSP}000 m² (15,0 ha)" in page and f"1{NBSP}200 kr/m²" in page
