"""The site pages: list and filters, the form's rules, editing rights, 409, export."""

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.core.models import AuditEvent
from app.extensions import db
from app.sites.geography import ZONE_15_00, to_sweref
from app.sites.models import Site, SiteStatus
from tests.factories import TEST_PASSWORD, make_site


def form_data(**overrides) -> dict:
    data = {"name": "Viatomten", "municipality": "kumla", "kind": "land", "lat": "59.1380",
            "lon": "15.1180", "status": "available", "owner": "municipal",
            "land_area_m2": "40000", "detaljplan_status": "", "rail_siding": "",
            "water_sewage": "", "action": "save"}
    data.update(overrides)
    return data


def site_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Site))


@pytest.fixture
def kumla(client, auth, users):
    auth.login("kumla@test.example", TEST_PASSWORD)
    return users["kumla"]


def test_advisor_creates_a_site_with_distances_and_an_audit_event(client, kumla):
    response = client.post("/sites/new", data=form_data())
    assert response.status_code == 302
    site = db.session.scalar(sa.select(Site))
    assert site.name == "Viatomten" and site.municipality.slug == "kumla"
    from app.sites.geography import geodesic_km

    byrstatorp, hallsberg_terminal, airport = (59.14, 15.11), (59.072, 15.15), (59.2281, 15.04)
    assert site.dist_motorway_km == round(geodesic_km((59.138, 15.118), byrstatorp), 1)
    assert site.dist_terminal_km == round(geodesic_km((59.138, 15.118), hallsberg_terminal), 1)
    assert site.dist_airport_km == round(geodesic_km((59.138, 15.118), airport), 1)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "site"))
    assert event.action == "site.create" and event.actor_id == kumla.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Viatomten" in page and "4,0 ha" in page.replace("4.0 ha", "4,0 ha")


def test_site_page_shows_both_coordinate_systems_and_km_with_one_decimal(client, kumla):
    """With one decimal to the published airport; ≈ whole km to estimated nodes
    (tests/test_logistics_nodes.py)."""
    site = make_site(lat=59.1380, lon=15.1180)
    page = client.get(f"/sites/{site.id}").get_data(as_text=True)
    northing, easting = to_sweref(59.1380, 15.1180)
    assert "59.138000, 15.118000" in page
    assert f"N {northing:.0f}, E {easting:.0f}" in page
    assert f"{site.dist_airport_km:.1f}".replace(".", ",") + " km" in page


def test_coordinates_typed_in_sweref_99_tm_are_converted(client, kumla):
    northing, easting = to_sweref(59.1380, 15.1180)
    response = client.post("/sites/new", data=form_data(lat="", lon="", sweref_n=f"{northing:.1f}",
                                                        sweref_e=f"{easting:.1f}"))
    assert response.status_code == 302
    site = db.session.scalar(sa.select(Site))
    assert site.lat == pytest.approx(59.1380, abs=1e-6) and site.lon == pytest.approx(15.1180, abs=1e-6)


def test_coordinates_in_sweref_99_15_00_are_read_as_such_and_the_page_says_so(client, kumla):
    northing, easting = to_sweref(59.1380, 15.1180, ZONE_15_00)
    assert easting < 200_000  # the local zone: where SWEREF 99 TM has no Swedish eastings
    response = client.post("/sites/new", data=form_data(
        lat="", lon="", sweref_n=f"{northing:.1f}", sweref_e=f"{easting:.1f}"),
        follow_redirects=True)
    assert "Koordinaterna lästes som SWEREF 99 15 00." in response.get_data(as_text=True)
    site = db.session.scalar(sa.select(Site))
    assert site.lat == pytest.approx(59.1380, abs=1e-6) and site.lon == pytest.approx(15.1180, abs=1e-6)


def test_the_site_page_gives_the_position_in_sweref_99_15_00_too(client, kumla):
    site = make_site("kumla", name="Läge", lat=59.1380, lon=15.1180)
    tm_n, tm_e = to_sweref(59.1380, 15.1180)
    # By the definitions (as in test_sites_geography): 15 00 = TM without its 0.9996 scale,
    # false easting 150 000 m instead of 500 000 m.
    northing, easting = tm_n / 0.9996, (tm_e - 500_000) / 0.9996 + 150_000
    page = client.get(f"/sites/{site.id}").get_data(as_text=True)
    assert "Läge (SWEREF 99 15 00, som på kommunens kartor)" in page
    assert f"N {northing:.0f}, E {easting:.0f}" in page
    assert f"N {tm_n:.0f}, E {tm_e:.0f}" in page


def test_a_chosen_sweref_system_is_used_and_a_mismatch_is_refused(client, kumla):
    northing, easting = to_sweref(59.1380, 15.1180, ZONE_15_00)
    response = client.post("/sites/new", data=form_data(
        lat="", lon="", sweref_n=f"{northing:.1f}", sweref_e=f"{easting:.1f}",
        sweref_system="EPSG:3006"))
    assert response.status_code == 422
    assert "Detta är inte SWEREF 99 TM-koordinater i Sverige" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 0
    tm_n, tm_e = to_sweref(59.1380, 15.1180)
    response = client.post("/sites/new", data=form_data(
        lat="", lon="", sweref_n=f"{tm_n:.1f}", sweref_e=f"{tm_e:.1f}",
        sweref_system="EPSG:3006"), follow_redirects=True)
    assert "Koordinaterna lästes som SWEREF 99 TM." in response.get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"lat": "59.3939", "lon": "15.8388"}, "Punkten ligger i Arboga, inte i Kumla."),
    ({"lat": "15.1180", "lon": "59.1380"}, "förväxlade"),
    ({"lat": "58.0", "lon": "13.0"}, "km utanför Kumla"),
    ({"land_area_m2": "stor"}, "heltal"),
    ({"land_area_m2": "-5"}, "Får inte vara under noll."),
    ({"price_sek_m2": "-1"}, "Får inte vara under noll."),
    ({"power_mw": "mycket"}, "decimal"),
    ({"power_mw": "NaN"}, "decimal"),
    ({"kind": "castle"}, "Inte ett giltigt val"),
    ({"status": "gone"}, "Inte ett giltigt val"),
    ({"lat": "", "lon": ""}, "klicka på kartan"),
    ({"sweref_n": "123", "sweref_e": "456", "lat": "", "lon": ""}, "SWEREF 99 TM"),
    ({"name": "x" * 121}, "Högst 120 tecken."),
    ({"name": "a\x00b"}, "styrtecken (U+0000)"),
])
def test_bad_input_gives_swedish_field_errors_and_stores_nothing(client, kumla, overrides, message):
    response = client.post("/sites/new", data=form_data(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert site_count() == 0


def test_point_just_outside_the_boundary_is_saved_with_a_warning(client, kumla):
    from tests.test_sites_geography import _point_outside

    lat, lon = _point_outside("kumla", 0.4)
    response = client.post("/sites/new", data=form_data(lat=str(lat), lon=str(lon)),
                           follow_redirects=True)
    assert response.status_code == 200
    assert "utanför Kumla" in response.get_data(as_text=True)
    assert site_count() == 1


def test_advisor_cannot_put_a_site_in_another_municipality(client, kumla):
    response = client.post("/sites/new", data=form_data(municipality="orebro", lat="59.2741",
                                                        lon="15.2066"))
    assert response.status_code == 422
    assert site_count() == 0


def test_viewer_sees_sites_but_never_edits(client, auth, users):
    site = make_site()
    auth.login("viewer@test.example", TEST_PASSWORD)
    assert client.get(f"/sites/{site.id}").status_code == 200
    assert client.get("/sites/new").status_code == 403
    assert client.get(f"/sites/{site.id}/edit").status_code == 403
    assert client.post(f"/sites/{site.id}/edit", data=form_data()).status_code == 403


def test_advisor_of_another_municipality_sees_but_cannot_edit(client, auth, users):
    site = make_site()
    auth.login("arboga@test.example", TEST_PASSWORD)
    assert client.get(f"/sites/{site.id}").status_code == 200
    assert client.get(f"/sites/{site.id}/edit").status_code == 403


def test_admin_edits_any_site(client, auth, users):
    site = make_site()
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post(f"/sites/{site.id}/edit",
                           data=form_data(name="Nytt namn", version=str(site.version)))
    assert response.status_code == 302
    assert db.session.get(Site, site.id).name == "Nytt namn"


@pytest.mark.parametrize(("who", "visible"), [("viewer", False), ("arboga", False),
                                              ("kumla", True), ("admin", True)])
def test_withdrawn_sites_are_seen_only_by_those_who_may_edit_them(client, auth, users, who, visible):
    site = make_site(status=SiteStatus.WITHDRAWN)
    auth.login(f"{who}@test.example", TEST_PASSWORD)
    assert client.get(f"/sites/{site.id}").status_code == (200 if visible else 404)


def test_visitor_is_sent_to_login(client):
    assert client.get("/sites").status_code == 302
    assert client.get("/sites/map").status_code == 302


def test_stale_edit_answers_409_with_both_versions_and_keeps_the_newer_data(client, kumla):
    site = make_site(name="Original")
    old_version = site.version
    assert client.post(f"/sites/{site.id}/edit",
                       data=form_data(name="First edit", version=str(old_version))).status_code == 302
    response = client.post(f"/sites/{site.id}/edit",
                           data=form_data(name="Second edit", version=str(old_version)))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "First edit" in page and "Second edit" in page
    assert db.session.get(Site, site.id).name == "First edit"



@pytest.mark.parametrize("version", ["abc", "1.5", "9" * 5000])
def test_a_tampered_version_answers_400_not_a_conflict_and_changes_nothing(client, kumla, version):
    site = make_site(name="Original")
    response = client.post(f"/sites/{site.id}/edit", data=form_data(name="Tampered", version=version))
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Site, site.id).name == "Original"

def test_edit_form_shows_the_current_values(client, kumla):
    site = make_site(name="Formtomten", price_sek_m2=450)
    page = client.get(f"/sites/{site.id}/edit").get_data(as_text=True)
    assert 'value="Formtomten"' in page and 'value="450"' in page


def test_list_filters_by_municipality_status_kind_area_rail_power_and_incomplete(client, kumla):
    from app.sites.models import DetaljplanStatus, RailSiding, SiteKind

    make_site(name="Complete", price_sek_m2=300, power_mw=10, rail_siding=RailSiding.EXISTING,
              detaljplan_status=DetaljplanStatus.LAGA_KRAFT, land_area_m2=100_000)
    make_site(name="Small", land_area_m2=5_000, status=SiteStatus.RESERVED)
    make_site("orebro", name="Orebro building", kind=SiteKind.BUILDING, lat=59.2741, lon=15.2066,
              land_area_m2=None, building_area_m2=20_000)

    def names(query: str) -> set[str]:
        page = client.get(f"/sites?{query}").get_data(as_text=True)
        return {n for n in ("Complete", "Small", "Orebro building") if f">{n}</a>" in page}

    assert names("") == {"Complete", "Small", "Orebro building"}
    assert names("municipality=orebro") == {"Orebro building"}
    assert names("status=reserved") == {"Small"}
    assert names("kind=building") == {"Orebro building"}
    assert names("min_area=50000") == {"Complete"}
    assert names("rail=existing") == {"Complete"}
    assert names("min_power=5") == {"Complete"}
    assert names("incomplete=1") == {"Small", "Orebro building"}
    assert client.get("/sites?status=nonsense").status_code == 400
    assert client.get("/sites?min_area=-3").status_code == 400


def test_completeness_names_the_missing_key_facts(client, kumla):
    site = make_site(price_sek_m2=None, power_mw=None)
    page = client.get(f"/sites/{site.id}").get_data(as_text=True)
    assert "0/5" not in page
    assert "saknas: pris, effekt, detaljplan, industrispår" in page
    from app.sites.service import completeness

    assert completeness(site).missing == ("price", "power", "detaljplan", "rail")


def test_csv_and_xlsx_export_follow_the_filters_and_defuse_formulas(client, kumla):
    make_site(name="=HYPERLINK(\"http://evil\")")
    make_site(name="Reserved one", status=SiteStatus.RESERVED)
    response = client.get("/sites/export.csv?status=available")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0][1] == "Namn"
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(\"http://evil\")"]
    workbook = load_workbook(io.BytesIO(client.get("/sites/export.xlsx").data))
    names = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["'=HYPERLINK(\"http://evil\")", "Reserved one"])


def test_geocoder_down_gives_a_message_and_the_form_still_saves(client, kumla):
    response = client.post("/sites/new", data=form_data(address="Viavägen 1, Kumla",
                                                        action="geocode"))
    assert response.status_code == 200
    assert "Adressökningen är inte tillgänglig just nu" in response.get_data(as_text=True)
    assert site_count() == 0
    assert client.post("/sites/new", data=form_data(address="Viavägen 1, Kumla")).status_code == 302
    assert site_count() == 1


def test_start_page_shows_the_sites_panel(client, kumla):
    make_site()
    assert "tillgängliga objekt" in client.get("/").get_data(as_text=True)


def test_sites_and_map_are_in_the_navigation(client, kumla):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/sites"' in page and 'href="/sites/map"' in page


def test_the_map_shows_sites_by_filter_and_follows_every_change(client, kumla, users):
    site = make_site(name="Kartplatsen")
    make_site(name="Såld plats", status=SiteStatus.SOLD)
    make_site(name="Återkallad plats", status=SiteStatus.WITHDRAWN)
    page = client.get("/sites/map").get_data(as_text=True)
    assert "Kartplatsen" in page and "Såld plats" in page and "Återkallad plats" not in page
    assert "Såld plats" not in client.get("/sites/map?status=available").get_data(as_text=True)
    assert "Kartplatsen" in client.get("/sites/map?municipality=kumla&rail=").get_data(as_text=True)
    assert "Kartplatsen" not in client.get("/sites/map?min_area=60000").get_data(as_text=True)
    assert client.get("/sites/map?rail=maybe").status_code == 400
    client.post(f"/sites/{site.id}/edit", data=form_data(name="Omdöpt plats", version="1"))
    assert "Omdöpt plats" in client.get("/sites/map").get_data(as_text=True)
    from app.sites.models import LogisticsNode

    node = db.session.scalar(sa.select(LogisticsNode).order_by(LogisticsNode.id))
    node.name, node.version = "Omdöpt nod", node.version + 1
    db.session.commit()
    assert "Omdöpt nod" in client.get("/sites/map").get_data(as_text=True)


def test_start_page_site_counts_follow_every_change_at_once(client, kumla):
    """The counts are kept per process by the sites' revision: a new site, a saved site
    and a withdrawn one each show on the next start page."""
    from app.sites.models import DetaljplanStatus, RailSiding

    def panel() -> str:
        page = client.get("/").get_data(as_text=True)
        start = page.index('data-testid="sites-panel"')
        return " ".join(page[start:page.index("</p>", start)].split())

    make_site(name="Full", price_sek_m2=300, power_mw=5.0,
              detaljplan_status=DetaljplanStatus.LAGA_KRAFT, rail_siding=RailSiding.POSSIBLE)
    assert "1 tillgängliga objekt" in panel() and "saknar" not in panel()
    assert client.post("/sites/new", data=form_data(name="Bare")).status_code == 302
    assert "2 tillgängliga objekt" in panel() and "1 saknar nyckeluppgifter" in panel()
    site = db.session.scalar(sa.select(Site).where(Site.name == "Bare"))
    assert client.post(f"/sites/{site.id}/edit", data=form_data(
        name="Bare", status="withdrawn", version=str(site.version))).status_code == 302
    assert "1 tillgängliga objekt" in panel() and "saknar" not in panel()
