"""The public site catalogue: only sites that may be published and are available, no
internal field on any public page or in the GeoJSON, no login, Swedish and English."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.candidates import service as candidates
from app.candidates.models import CandidateStatus
from app.extensions import db
from app.reservations import service as reservations
from app.sites.models import RailSiding, Readiness, SiteStatus
from app.sites.public import listed_site
from tests.factories import make_site
from tests.leads_helpers import company_name, login, make_lead

# Values of internal fields: none of them may appear on a public page.
INTERNAL = {
    "description": "Intern-beskrivning-XQ",
    "contact_person": "Kontakt-Intern-Person",
    "detaljplan_id": "DP-INTERN-77",
}
UNPUBLISHED_PRICE = 4711
EXPANDABLE_MW = 37.5


@pytest.fixture
def catalogue(app, users):
    """Listed sites (one with everything internal filled), and unlisted ones: not public,
    reserved (for a lead), sold, withdrawn; a lead proposed on a listed site and a
    cancelled reservation of another listed site."""
    kumla = users["kumla"]
    listed = make_site("kumla", name="Via tomt 1", public=True, price_sek_m2=UNPUBLISHED_PRICE,
                       price_public=False, power_mw=5.0, power_expandable_mw=EXPANDABLE_MW,
                       power_lead_time_months=29, rail_siding=RailSiding.EXISTING,
                       readiness=Readiness.READY, land_area_m2=120_000, **INTERNAL)
    priced = make_site("hallsberg", name="Rala tomt 2", lat=59.058, lon=15.16, public=True,
                       price_sek_m2=350, price_public=True, land_area_m2=30_000,
                       rail_siding=RailSiding.NONE, readiness=Readiness.PLANNED)
    hidden = {
        "not_public": make_site("kumla", name="Ej publik tomt", public=False),
        "sold": make_site("kumla", name="Såld tomt", public=True, status=SiteStatus.SOLD),
        "withdrawn": make_site("kumla", name="Ej aktuell tomt", public=True,
                               status=SiteStatus.WITHDRAWN),
        "reserved": make_site("kumla", name="Reserverad tomt", public=True),
    }
    lead = make_lead(kumla, "hemlig_kund", confidential=True)
    candidates.propose(kumla, lead, listed, note="Anteckning-om-kandidaten")
    reserved = candidates.propose(kumla, lead, hidden["reserved"])
    reserved.status = CandidateStatus.SELECTED
    db.session.commit()
    reservations.reserve(kumla, reserved, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS-beslut-55",
        "valid_from": date(2026, 12, 1), "valid_until": date(2027, 6, 1),
        "agreement_ref": "KS-2026-0099"})
    other = make_lead(kumla, "avbruten_kund")
    again = candidates.propose(kumla, other, listed)
    again.status = CandidateStatus.SELECTED
    db.session.commit()
    cancelled = reservations.reserve(kumla, again, {
        "kind": "markanvisning", "decided_on": date(2026, 11, 1), "decided_by": "KS-beslut-66",
        "valid_from": date(2026, 11, 2), "valid_until": date(2027, 5, 1),
        "agreement_ref": "KS-2026-0123"})
    reservations.change(kumla, cancelled, cancelled.version, "cancel")
    db.session.refresh(listed)
    assert listed.status == SiteStatus.AVAILABLE
    return {"listed": listed, "priced": priced, "hidden": hidden, "leads": [lead, other]}


def comparable(text: str) -> str:
    """Without Folium's random element ids and the boundaries' long coordinates, where a
    number looked for could appear by chance."""
    return re.sub(r"[0-9a-f]{32}|\d+\.\d{5,}", "", text)


def public_texts(client, catalogue) -> dict[str, str]:
    """Every public page (both languages) and the GeoJSON, as served to a visitor."""
    urls = ["/catalogue", "/catalogue?lang=en", "/catalogue/sites.geojson"]
    for site in (catalogue["listed"], catalogue["priced"]):
        urls += [f"/catalogue/sites/{site.id}", f"/catalogue/sites/{site.id}?lang=en"]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = comparable(response.get_data(as_text=True))
    return texts


def forbidden_strings(catalogue) -> list[str]:
    reservation_words = ["KS-beslut-55", "KS-2026-0099", "KS-beslut-66", "KS-2026-0123",
                         "Reservera", "reservation", "Markanvisning", "markreservation"]
    lead_words = []
    for lead in catalogue["leads"]:
        key = lead.codename.removeprefix("Projekt ")
        lead_words += [lead.codename, company_name(key), lead.description, f"Intern-{key}"]
    numbers = [str(UNPUBLISHED_PRICE), "4 711", "4\u00a0711", "4,711", "37,5", "37.5"]
    hidden = ["Ej publik tomt", "Såld tomt", "Ej aktuell tomt", "Reserverad tomt"]
    return [*INTERNAL.values(), "Anteckning-om-kandidaten", *reservation_words, *lead_words,
            *numbers, *hidden]


def test_no_public_page_nor_the_geojson_shows_an_internal_field_a_reservation_or_a_lead(
        client, catalogue):
    for url, text in public_texts(client, catalogue).items():
        found = [word for word in forbidden_strings(catalogue) if word.lower() in text.lower()]
        assert found == [], url


def test_the_public_facts_leave_out_every_internal_column():
    from app.sites.models import Site
    from app.sites.public import PublicSite

    internal = {"description", "contact_person", "detaljplan_id", "detaljplan_in_force_on",
                "power_expandable_mw", "power_lead_time_months", "status", "public",
                "price_public", "owner", "version", "created_at", "updated_at",
                "municipality_id"}
    columns = set(Site.__table__.c.keys())
    public = set(PublicSite.__dataclass_fields__)
    assert public & internal == set()
    # A new column of sites is public only once someone decides it here.
    assert columns - public <= internal | {"detaljplan_status"}


def test_the_catalogue_lists_only_public_available_sites(client, catalogue):
    text = client.get("/catalogue").get_data(as_text=True)
    assert "Via tomt 1" in text and "Rala tomt 2" in text
    for site in catalogue["hidden"].values():
        assert site.name not in text
        assert client.get(f"/catalogue/sites/{site.id}").status_code == 404
        assert listed_site(site.id) is None
    features = client.get("/catalogue/sites.geojson").get_json()["features"]
    assert sorted(f["properties"]["name"] for f in features) == ["Rala tomt 2", "Via tomt 1"]


def test_the_price_shows_only_where_the_site_publishes_it(client, catalogue):
    listed = client.get(f"/catalogue/sites/{catalogue['listed'].id}").get_data(as_text=True)
    assert "På förfrågan" in listed
    priced = client.get(f"/catalogue/sites/{catalogue['priced'].id}").get_data(as_text=True)
    assert re.search(r"350\s(kr|SEK)/m²", priced)
    prices = {f["properties"]["name"]: f["properties"]["price_sek_m2"]
              for f in client.get("/catalogue/sites.geojson").get_json()["features"]}
    assert prices == {"Via tomt 1": None, "Rala tomt 2": 350}


def test_the_geojson_is_lon_lat_with_links_to_the_page_and_the_inquiry(client, catalogue):
    response = client.get("/catalogue/sites.geojson")
    assert response.mimetype == "application/geo+json"
    site = catalogue["listed"]
    feature = next(f for f in response.get_json()["features"] if f["id"] == site.id)
    assert feature["geometry"]["coordinates"] == [site.lon, site.lat]
    assert feature["properties"]["url"].endswith(f"/catalogue/sites/{site.id}")
    assert feature["properties"]["inquiry_url"].endswith(f"/inquiry?site={site.id}")


@pytest.mark.parametrize(("query", "names"), [
    ("municipality=hallsberg", ["Rala tomt 2"]),
    ("min_area=50+000", ["Via tomt 1"]),
    ("rail=existing", ["Via tomt 1"]),
    ("min_power=4,5", ["Via tomt 1"]),
    ("readiness=planned", ["Rala tomt 2"]),
    ("municipality=arboga", []),
])
def test_the_filters_narrow_the_list_the_map_and_the_geojson(client, catalogue, query, names):
    features = client.get(f"/catalogue/sites.geojson?{query}").get_json()["features"]
    assert sorted(f["properties"]["name"] for f in features) == names
    text = client.get(f"/catalogue?{query}").get_data(as_text=True)
    assert sorted(n for n in ("Rala tomt 2", "Via tomt 1") if n in text) == names


def test_a_bad_filter_is_a_clear_message_not_an_error(client, catalogue):
    response = client.get("/catalogue?min_area=tolv&readiness=snart")
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)
    assert client.get("/catalogue/sites.geojson?readiness=snart").status_code == 400


def test_the_site_page_has_straight_line_distances_and_asks_about_the_site(client, catalogue):
    site = catalogue["listed"]
    text = client.get(f"/catalogue/sites/{site.id}").get_data(as_text=True)
    assert "fågelvägen" in text
    assert f'href="/inquiry?site={site.id}&amp;lang=sv"' in text
    assert 'data-testid="node-distances"' in text


def test_visitors_need_no_login_and_get_no_session_cookie(client, catalogue):
    for url in ("/catalogue", f"/catalogue/sites/{catalogue['listed'].id}",
                "/catalogue/sites.geojson"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url


def without_nonces(text: str) -> str:
    return re.sub(r'nonce="[^"]+"|_[0-9a-f]{32}', "", text)


def test_a_signed_in_user_sees_the_same_page_as_anyone(app, client, catalogue):
    url = f"/catalogue/sites/{catalogue['listed'].id}"
    anonymous = without_nonces(client.get(url).get_data(as_text=True))
    login(client, "kumla")
    signed_in = without_nonces(client.get(url).get_data(as_text=True))
    assert signed_in == anonymous
    assert "kumla@test.example" not in signed_in


def test_the_language_switch_works_without_login_and_links_keep_the_language(client, catalogue):
    swedish = client.get("/catalogue").get_data(as_text=True)
    assert '<html lang="sv">' in swedish and 'href="/catalogue?lang=en"' in swedish
    english = client.get("/catalogue?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "List of sites" in english
    assert f'href="/catalogue/sites/{catalogue["listed"].id}?lang=en"' in english
    page = client.get(f"/catalogue/sites/{catalogue['listed'].id}?lang=en")
    assert page.headers["Content-Language"] == "en"
    assert "On request" in page.get_data(as_text=True)
    browser_english = client.get("/catalogue", headers={"Accept-Language": "en-GB"})
    assert '<html lang="en">' in browser_english.get_data(as_text=True)


def test_site_names_are_escaped_in_the_list_and_the_map(client, app, users):
    name = "<img src=x onerror=alert(1)> ${alert(1)} `x` {{ 7*7 }}"
    make_site("kumla", name=name, public=True)
    text = client.get("/catalogue").get_data(as_text=True)
    assert "<img src=x" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text  # the list
    assert "\\u003cimg src=x onerror=alert(1)\\u003e ${alert(1)} `x` \\u007b{ 7*7 }}" in text  # the map


def test_several_demo_sites_are_public_and_available():
    from app.sites.demo import demo_sites

    listed = [s for s in demo_sites() if s["public"] and s["status"] == SiteStatus.AVAILABLE]
    assert len(listed) >= 5
    assert any(s["price_public"] for s in listed) and any(not s["price_public"] for s in listed)


def test_the_internal_site_page_links_a_listed_site_to_its_catalogue_page(client, catalogue):
    login(client, "kumla")
    listed = client.get(f"/sites/{catalogue['listed'].id}").get_data(as_text=True)
    assert f'href="/catalogue/sites/{catalogue["listed"].id}"' in listed
    sold = client.get(f"/sites/{catalogue['hidden']['sold'].id}").get_data(as_text=True)
    assert 'data-testid="catalogue-link"' not in sold
