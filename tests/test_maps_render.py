"""Folium maps rendered on the server: escaped, self-hosted, compact."""

import re

import folium
import pytest
from folium.plugins import FastMarkerCluster, MarkerCluster

from app.maps import elements
from app.maps.escaping import map_text
from app.maps.service import NodePoint, SiteLayer, form_map, lead_map, site_map, sites_map
from tests.test_pages import external_assets

PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`+alert(1)+`", "\\`${alert(2)}\\`",
            "</script><script>alert(3)</script>"]
NODE = NodePoint("Nod <b>${alert(9)}</b> `x`", "Kombiterminal", "Kumla", 59.14, 15.11, True, "a\\b")
CDN = re.compile(r"jsdelivr|cdnjs|cloudflare|bootstrapcdn|code\.jquery|netdna|unpkg|fontawesome",
                 re.IGNORECASE)


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


def _all(parts) -> str:
    return f"{parts.header}{parts.html}{parts.script}"


@pytest.mark.parametrize(("raw", "escaped"), [
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("${alert(1)}", "&#36;&#123;alert(1)&#125;"),
    ("{{ 7*7 }}", "&#123;&#123; 7*7 &#125;&#125;"),
    ("`x`", "&#96;x&#96;"),
    ("a\\b", "a&#92;b"),
    ("\"quoted\" & 'single'", "&quot;quoted&quot; &amp; &#x27;single&#x27;"),
    (None, ""),
    (42, "42"),
])
def test_map_text_escapes_html_and_template_literal_characters(raw, escaped):
    assert map_text(raw) == escaped


def test_map_text_leaves_nothing_that_breaks_a_template_literal():
    for payload in PAYLOADS:
        text = map_text(payload)
        assert not set("`$\\<>{}") & set(text)


def _row(site_id: int, name: str) -> list:
    return [59.138, 15.118, site_id, 0, 40000, None, name, 0.5, 7.6, 17.1]


def test_every_map_uses_only_our_own_assets(request_context):
    maps = [
        sites_map([SiteLayer("Kumla", [_row(1, "A")])], [NODE]),
        site_map("A", 59.138, 15.118, "available", [NODE]),
        form_map("lat", "lon", [59.138, 15.118]),
        lead_map(["kumla", "hallsberg"], nodes=[NODE]),
    ]
    for parts in maps:
        html = _all(parts)
        assert external_assets(html) == []
        assert not CDN.search(html)
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert sources and all(s.startswith("/static/") for s in sources), sources


def test_tile_layer_comes_from_the_configuration(app, request_context):
    app.config["MAP_TILE_URL"] = "/tiles/{z}/{x}/{y}.png"
    app.config["MAP_TILE_ATTRIBUTION"] = "Lantmäteriet"
    html = _all(form_map("lat", "lon", None))
    assert '"/tiles/{z}/{x}/{y}.png"' in html and "Lantm" in html


def test_folium_classes_we_use_have_no_cdn_defaults():
    for cls in (elements.SiteMap, elements.SiteCluster, elements.Legend,
                elements.ClickToSetCoordinates):
        for _name, url in [*cls.default_js, *cls.default_css]:
            assert url.startswith("/static/"), (cls, url)
    # Elements with assets of their own that we must not use unchanged:
    assert folium.Map.default_js[0][1].startswith("https://")
    assert MarkerCluster.default_js[0][1].startswith("https://")
    assert issubclass(elements.SiteCluster, FastMarkerCluster)


def test_hostile_names_stay_data_in_the_big_map(request_context):
    rows = [_row(i, payload) for i, payload in enumerate(PAYLOADS, start=1)]
    html = _all(sites_map([SiteLayer("Kumla `${x}`", rows)], [NODE]))
    script = str(sites_map([SiteLayer("K", rows)], []).script)
    assert "<img" not in script and "</script><script>" not in script
    assert "alert(3)" in script  # present, but only inside JSON with < and > escaped
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in script
    # The layer name, through map_text (then JSON-escaped: & is \u0026), for Leaflet's innerHTML:
    assert "Kumla \\u0026#96;\\u0026#36;\\u0026#123;x\\u0026#125;\\u0026#96; (5)" in html
    assert "Nod \\u003cb\\u003e${alert(9)}\\u003c/b\\u003e `x`" in html  # data for textContent


def test_lead_map_outlines_only_the_preferred_municipalities(request_context):
    from app.sites.geography import municipality_geojson

    polygons = {f["properties"]["slug"]: f["geometry"]["coordinates"][0][0]
                for f in municipality_geojson()["features"]}
    html = _all(lead_map(["kumla", "no-such-place"], nodes=[NODE]))

    def shows(slug: str) -> bool:
        lon, lat = polygons[slug]
        return f"[{lon}, {lat}]" in html or f"[{lon},{lat}]" in html

    assert shows("kumla") and not shows("arboga") and not shows("orebro")
    assert "Kombiterminal" in html


def test_ten_thousand_sites_render_small(request_context):
    """Size only: speed is measured by `make bench`, never by a timed unit test."""
    rows = [[59.1 + i * 1e-5, 15.1 + i * 1e-5, 100000 + i, i % 4, 45000, None,
             f"Benchmarkplats {i} Törsjö", 3.4, 6.1, 12.8] for i in range(10_000)]
    parts = sites_map([SiteLayer("Örebro", rows)], [NODE])
    size = len(_all(parts).encode())
    assert size / 10_000 < 120


def test_template_syntax_in_data_is_never_evaluated_on_the_server(request_context):
    """branca parses element output again as a Jinja template; data must stay data."""
    node = NodePoint("N {{ 'nq'*3 }}", "k", "m", 59.14, 15.11, True, "{% for i in range(3) %}fq{% endfor %}")
    rows = [_row(1, "S {{ 'zq'*3 }} {# c #} {% if true %}XQ{% endif %}")]
    html = _all(sites_map([SiteLayer("K {{ 'kq'*3 }}", rows)], [node]))
    html += _all(site_map("T {{ 'tq'*3 }}", 59.138, 15.118, "available", [node]))
    html += _all(lead_map(["kumla"], nodes=[node]))
    for evaluated in ("zqzqzq", "nqnqnq", "kqkqkq", "fqfqfq", "tqtqtq"):
        assert evaluated not in html
    assert "{{" not in html.replace("\\u007b", "")  # no template opener survives
    assert "T &#123;&#123; &#x27;tq&#x27;*3 &#125;&#125;" in html


def test_compact_json_round_trips_hostile_strings():
    import json

    from app.maps.elements import compact_json

    values = ["{{x}}", "{%y%}", "{#z#}", "{{{", "</script>", "a'b&c", "\u2028", "å"]
    text = str(compact_json(values))
    assert json.loads(text) == values
    assert not re.search(r"\{[{%#]|<|>|'", text)
