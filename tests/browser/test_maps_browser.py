"""Hostile text typed into the form, sent through the API and set on a logistics node
shows literally on every map, in headless Chromium: no dialog, no external request."""

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.service import issue_api_token
from app.extensions import db
from app.sites.models import LogisticsNode
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

FORM_NAME = "<img src=x onerror=alert(1)> ${alert(2)} {{ 'zq'*3 }}"
API_NAME = "`+alert(3)+` \\`${alert(4)}\\` <script>alert(5)</script>"
NODE_NAME = "Nod <img src=y onerror=alert(6)> ${alert(7)} `x` {% if 1 %}XQ{% endif %}"

def _popup_texts(page, name_part: str) -> list[str]:
    """Open the popup of every marker (clustered or not) whose tooltip contains `name_part`;
    return the popups' text."""
    page.wait_for_function("window.etableraMaps && Object.keys(window.etableraMaps).length > 0")
    return page.evaluate(
        """async (namePart) => {
            const map = Object.values(window.etableraMaps)[0];
            const markers = [];
            map.eachLayer(layer => {
                if (layer.getLayers && layer.zoomToShowLayer) {
                    layer.getLayers().forEach(m => markers.push([layer, m]));
                } else if (layer.getPopup && layer.getPopup()) {
                    markers.push([null, layer]);
                }
            });
            const texts = [];
            for (const [cluster, marker] of markers) {
                const open = () => new Promise(resolve => {
                    setTimeout(resolve, 3000);  // never hang on an animation that does not end
                    const show = () => { marker.openPopup(); resolve(); };
                    if (cluster) { cluster.zoomToShowLayer(marker, show); }
                    else { marker.openPopup(); resolve(); }
                });
                await open();
                await new Promise(r => setTimeout(r, 30));
                const element = marker.getPopup() && marker.getPopup().getElement();
                const content = element && element.querySelector(".leaflet-popup-content");
                if (content && content.textContent.includes(namePart)) { texts.push(content.textContent); }
                map.closePopup();
            }
            return texts;
        }""",
        name_part,
    )


def test_hostile_names_show_literally_on_every_map(app, page, runner, live_server):
    runner.invoke(args=["seed-demo"])
    # 1. Through the form (typed by a Kumla advisor).
    login(page, "kumla@logistikregionen.example")
    page.goto("/sites/new")
    page.fill("#name", FORM_NAME)
    page.fill("#lat", "59.1380")
    page.fill("#lon", "15.1180")
    page.fill("#land_area_m2", "25000")
    page.locator("button[value=save]").click()
    assert page.get_by_test_id("site-name").inner_text() == FORM_NAME
    form_site_url = page.url

    # 2. Through the API.
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "kumla@logistikregionen.example"))
        token = issue_api_token(user)
        db.session.commit()
    response = page.request.post(f"{live_server.url}/api/v1/sites", headers={
        "Authorization": f"Bearer {token}"}, data={
        "name": API_NAME, "municipality": "kumla", "kind": "building", "lat": 59.128,
        "lon": 15.15, "building_area_m2": 12000})
    assert response.status == 201, response.text()

    # 3. A logistics node renamed by the admin.
    with app.app_context():
        node = db.session.scalar(sa.select(LogisticsNode).where(
            LogisticsNode.name == "Byrstatorp (E20/rv50 x rv52)"))
        node.name = NODE_NAME
        db.session.commit()

    page.goto("/sites/map?municipality=kumla")
    page.wait_for_selector(".leaflet-marker-icon, .leaflet-interactive")
    assert page.get_by_test_id("map-legend").is_visible()
    texts = _popup_texts(page, "alert(")
    assert any(FORM_NAME in text for text in texts), texts
    assert any(API_NAME in text for text in texts), texts
    assert any(NODE_NAME in text for text in texts), texts

    page.goto(form_site_url)
    texts = _popup_texts(page, "Nod ")
    assert any(NODE_NAME in text for text in texts), texts
    assert FORM_NAME in page.locator(".leaflet-tooltip").first.inner_text()

    page.goto("/leads")
    page.get_by_role("link", name="Projekt Falk").click()
    page.get_by_test_id("lead-map-link").click()
    assert "/map" in page.url
    assert "röd" in page.get_by_test_id("lead-map-note").inner_text()  # outlined in red
    overlays = page.locator(".leaflet-control-layers-overlays").inner_text()
    assert "Önskade kommuner" in overlays and "Logistiknoder" in overlays
    texts = _popup_texts(page, "Nod ")
    assert any(NODE_NAME in text for text in texts), texts

    page.goto(form_site_url + "/edit")
    page.wait_for_selector(".leaflet-container")

    assert page.dialogs == []
    assert page.external_requests == []
    assert page.evaluate("document.querySelectorAll('img[src=x], img[src=y]').length") == 0


def test_clicking_the_form_map_sets_the_coordinates(page, runner):
    runner.invoke(args=["seed-demo"])
    login(page, "kumla@logistikregionen.example")
    page.goto("/sites/new")
    page.wait_for_selector(".leaflet-container")
    assert page.input_value("#lat") == ""
    page.locator(".leaflet-container").click(position={"x": 200, "y": 150})
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert 58.8 < lat < 59.6 and 14.6 < lon < 16.1
    assert page.dialogs == [] and page.external_requests == []


def test_site_popup_links_to_the_site_page(page, runner):
    runner.invoke(args=["seed-demo"])
    login(page, "viewer@logistikregionen.example")
    page.goto("/sites/map?municipality=arboga")
    texts = _popup_texts(page, "(demo)")
    assert texts and all("Arboga" in text for text in texts)
    assert page.external_requests == []
