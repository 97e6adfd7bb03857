"""The public catalogue in headless Chromium, without login: the map's markers are the
listed sites and open their catalogue page; the list beside it is the same sites; the
filters, the language switch and "ask about this site" work; hostile names stay text."""

from __future__ import annotations

import pytest

from app.sites.models import RailSiding, SiteStatus
from tests.factories import make_site

pytestmark = pytest.mark.browser

HOSTILE = "Via <img src=x onerror=alert(1)> ${alert(2)} `x` {{ 7*7 }}"


@pytest.fixture
def sites(app):
    return {
        "hostile": make_site("kumla", name=HOSTILE, public=True, rail_siding=RailSiding.EXISTING),
        "rala": make_site("hallsberg", name="Rala tomt 2", lat=59.058, lon=15.16, public=True,
                          price_sek_m2=350, price_public=True),
        "hidden": make_site("kumla", name="Ej publik tomt", lat=59.15, lon=15.13),
        "sold": make_site("kumla", name="Såld tomt", lat=59.14, lon=15.10, public=True,
                          status=SiteStatus.SOLD),
    }


def marker_names(page) -> list[str]:
    """The tooltips of every site marker on the page's map (clustered or not)."""
    page.wait_for_function("window.etableraMaps && Object.keys(window.etableraMaps).length > 0")
    return page.evaluate("""() => {
        const map = Object.values(window.etableraMaps)[0];
        const names = [];
        map.eachLayer(layer => {
            if (layer.getLayers && layer.zoomToShowLayer) {
                layer.getLayers().forEach(m => {
                    const tip = m.getTooltip();
                    const content = tip && (typeof tip.getContent() === "function"
                        ? tip.getContent()(m) : tip.getContent());
                    names.push(content && content.textContent !== undefined
                        ? content.textContent : String(content));
                });
            }
        });
        return names.sort();
    }""")


def open_popup_link(page, name: str) -> str:
    return page.evaluate("""async (name) => {
        const map = Object.values(window.etableraMaps)[0];
        let found = null;
        map.eachLayer(layer => {
            if (layer.getLayers && layer.zoomToShowLayer) {
                layer.getLayers().forEach(m => {
                    const tip = m.getTooltip().getContent()(m);
                    if (tip.textContent === name) { found = [layer, m]; }
                });
            }
        });
        const [cluster, marker] = found;
        await new Promise(done => { cluster.zoomToShowLayer(marker, done); setTimeout(done, 3000); });
        marker.openPopup();
        const link = marker.getPopup().getElement().querySelector("a");
        return [link.textContent, link.getAttribute("href")];
    }""", name)


def test_the_map_and_the_list_show_the_same_listed_sites(page, sites):
    page.goto("/catalogue")
    assert marker_names(page) == sorted([HOSTILE, "Rala tomt 2"])
    rows = page.get_by_test_id("catalogue-site")
    assert sorted(rows.locator("td:first-child").all_inner_texts()) == sorted(
        [HOSTILE, "Rala tomt 2"])
    text, href = open_popup_link(page, HOSTILE)
    assert text == HOSTILE
    assert href == f"/catalogue/sites/{sites['hostile'].id}"
    assert page.dialogs == [] and page.external_requests == []
    page.get_by_role("link", name="Hoppa över kartan: gå till listan över objekt").click()
    assert page.url.endswith("#site-list")


def test_filters_language_switch_and_asking_about_a_site(page, sites):
    page.goto("/catalogue")
    page.get_by_label("Kommun", exact=True).select_option("hallsberg")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrera").click()
    assert page.get_by_test_id("catalogue-site").all_inner_texts()[0].startswith("Rala tomt 2")
    assert marker_names(page) == ["Rala tomt 2"]
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Municipality", exact=True).input_value() == "hallsberg"
    with page.expect_navigation():
        page.get_by_role("link", name="Rala tomt 2").click()
    assert page.get_by_test_id("price").inner_text().startswith("350")
    assert page.get_by_role("link", name="Ask about this site").get_attribute("href") == (
        f"/inquiry?site={sites['rala'].id}&lang=en")
    assert page.get_by_test_id("node-distances").is_visible()
    assert page.dialogs == [] and page.external_requests == []
