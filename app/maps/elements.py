"""Our Folium elements. Each overrides `default_js`/`default_css` so that a map loads
only our vendored files (app/static/vendor/, pinned versions) and our own maps.js.

Beware: branca (under Folium) parses the *output* of every element's header, html and
script macros again as a Jinja template. Data in that output would be evaluated on the
server (a site named "{{ 7*7 }}" became "49"). So our data-carrying elements add their
output untouched (`RawRender`), `compact_json` breaks Jinja delimiters in
strings, and `map_text` (the escaping helper) turns braces into character references.
"""

from __future__ import annotations

import json
import re
from typing import Any

import folium
from branca.element import Element, Figure
from folium.elements import ElementAddToElement, MacroElement
from folium.map import Layer
from folium.plugins import FastMarkerCluster
from folium.template import Template
from markupsafe import Markup

VENDOR = "/static/vendor"
LEAFLET_JS = ("leaflet", f"{VENDOR}/leaflet-1.9.4/leaflet.js")
LEAFLET_CSS = ("leaflet_css", f"{VENDOR}/leaflet-1.9.4/leaflet.css")
JQUERY_JS = ("jquery", f"{VENDOR}/jquery-3.7.1/jquery.min.js")
MAPS_JS = ("etablera_maps", "/static/js/maps.js")
MAPS_CSS = ("etablera_maps_css", "/static/css/maps.css")
CLUSTER_JS = ("markerclusterjs", f"{VENDOR}/leaflet.markercluster-1.5.3/leaflet.markercluster.js")
CLUSTER_CSS = [
    ("markerclustercss", f"{VENDOR}/leaflet.markercluster-1.5.3/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{VENDOR}/leaflet.markercluster-1.5.3/MarkerCluster.Default.css"),
]


_JINJA_OPENER = re.compile(r"\{(?=[{%#])")


def compact_json(value: Any) -> Markup:
    """JSON without spaces or \\u escapes of letters like å, safe inside a <script> and
    inert if a template engine reads it again: in compact JSON a `{` followed by `{`, `%`
    or `#` can only be inside a string, where `\\u007b` means the same character."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, replacement in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                              ("'", "\\u0027"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, replacement)
    return Markup(_JINJA_OPENER.sub(r"\\u007b", text))  # noqa: S704 - escaped above


class RawElement(Element):
    """Output that is used as it is (branca's Element would parse it as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


def _render_raw(element: MacroElement, kwargs: dict) -> None:
    """What MacroElement.render (with JSCSSMixin's links and Layer's add-to-parent) does,
    but every piece of output is added as it is, never parsed as a template again.
    Children that keep MacroElement's plain render (FitBounds, add-to-parent calls) are
    rendered the same way; others render themselves."""
    figure = element.get_root()
    assert isinstance(figure, Figure), "render the element inside a Figure"
    for name, url in getattr(element, "default_js", []):
        figure.header.add_child(RawElement(f'<script src="{url}"></script>'), name=name)
    for name, url in getattr(element, "default_css", []):
        figure.header.add_child(RawElement(f'<link rel="stylesheet" href="{url}"/>'), name=name)
    if isinstance(element, Layer) and element.show and element._parent is not None:
        adder = ElementAddToElement(element_name=element.get_name(),
                                    element_parent_name=element._parent.get_name())
        element.add_child(adder, name=element.get_name() + "_add")
    module = element._template.module.__dict__
    for part in ("header", "html", "script"):
        if part in module:
            getattr(figure, part).add_child(RawElement(module[part](element, kwargs)),
                                            name=element.get_name())
    for child in list(element._children.values()):
        if isinstance(child, MacroElement) and type(child).render is MacroElement.render:
            _render_raw(child, kwargs)
        else:
            child.render(**kwargs)


class RawRender(MacroElement):
    """Put first among the bases to replace Folium's rendering (links, layer adding,
    macros) by `_render_raw`; put after a Folium class whose own render prepares data
    (LayerControl, GeoJson), so that its `super().render()` ends here."""

    def render(self, **kwargs):
        _render_raw(self, kwargs)


class TileLayer(folium.TileLayer, RawRender):
    pass


class LayerControl(folium.LayerControl, RawRender):
    pass


class Boundaries(folium.GeoJson, RawRender):
    """Municipality outlines (our reference data; no popups or tooltips)."""


class SiteMap(RawRender, folium.Map):
    """A Leaflet map embedded in one of our pages: vendored Leaflet (and jQuery, which
    Folium's popups use), none of Folium's Bootstrap, Font Awesome or awesome-markers,
    and a header that styles only the map's own div (not the page's html and body)."""

    default_js = [LEAFLET_JS, JQUERY_JS, MAPS_JS]
    default_css = [LEAFLET_CSS, MAPS_CSS]
    # The map's controls (layers, legend) fold away on narrow screens: compactOnPhones
    # in app/static/js/maps.js.

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
                #{{ this.get_name() }} {
                    position: relative;
                    width: {{this.width[0]}}{{this.width[1]}};
                    height: {{this.height[0]}}{{this.height[1]}};
                }
                .leaflet-container { font-size: {{this.font_size}}; }
            </style>
            <script>
                L_NO_TOUCH = false;
                L_DISABLE_3D = false;
            </script>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map etablera-map" id={{ this.get_name()|tojson }}
                 data-testid="map"></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{this.options|tojavascript}}
                }
            );
            window.etableraMaps = window.etableraMaps || {};
            window.etableraMaps[{{ this.get_name()|tojson }}] = {{ this.get_name() }};
            EtableraMaps.compactOnPhones({{ this.get_name() }});
        {% endmacro %}
        """
    )


class SiteCluster(RawRender, FastMarkerCluster):
    """A clustered layer of many sites from one compact array (no per-site Folium object).

    Each row is turned into a circle marker by `EtableraMaps.siteMarker(config)` in
    app/static/js/maps.js, whose popup is built with textContent (data is never HTML).
    """

    default_js = [CLUSTER_JS, MAPS_JS]
    default_css = CLUSTER_CSS

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var callback = EtableraMaps.siteMarker({{ this.config_json }});
                var data = {{ this.data_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                var markers = [];
                for (var i = 0; i < data.length; i++) {
                    markers.push(callback(data[i]));
                }
                cluster.addLayers(markers);
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list], config: dict, name: str, show: bool = True, **options):
        # FastMarkerCluster.__init__ would validate every row again; our rows come
        # from the database, already numbers.
        Layer.__init__(self, name=name, overlay=True, control=True, show=show)
        self._name = "SiteCluster"
        self.options = {"chunkedLoading": True, **options}
        self.icon_create_function = None
        self.data_json = compact_json(rows)
        self.config_json = compact_json(config)


class NodeLayer(RawRender, Layer):
    """The logistics nodes as one layer from a compact array; markers, tooltips and popups
    are built by `EtableraMaps.nodeLayer` with textContent (names are admin-edited text).
    Approximate nodes are dashed, with a dashed circle of their uncertainty."""

    default_js = [MAPS_JS]
    default_css = [MAPS_CSS]

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = EtableraMaps.nodeLayer({{ this.data_json }});
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list], name: str, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "NodeLayer"
        self.data_json = compact_json(rows)


class Legend(RawRender):
    """A legend control; labels go in with textContent (app/static/js/maps.js)."""

    default_js = [MAPS_JS]
    default_css = [MAPS_CSS]

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            EtableraMaps.legend({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}"""
    )

    def __init__(self, title: str, items: list[tuple[str, str, str]]):
        super().__init__()
        self._name = "Legend"
        self.config_json = compact_json(
            {"title": str(title),
             "items": [{"label": str(label), "colour": colour, "shape": shape}
                       for label, colour, shape in items]})


class ClickToSetCoordinates(RawRender):
    """On the site form: a click on the map fills the latitude and longitude fields."""

    default_js = [MAPS_JS]
    default_css = [MAPS_CSS]

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            EtableraMaps.clickToSet({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}"""
    )

    def __init__(self, lat_field: str, lon_field: str, position: list[float] | None):
        super().__init__()
        self._name = "ClickToSetCoordinates"
        self.config_json = compact_json(
            {"lat": lat_field, "lon": lon_field, "position": position})


_SCRIPT_TAG = re.compile(r"<script(?=[\s>])", re.IGNORECASE)


class MapParts:
    """A rendered map, split for embedding: header (into <head>), html (where the map
    goes) and script (after the page's scripts).

    Folium's output is inline `<script>`s; a page embeds them with `header_for(nonce)` and
    `script_for(nonce)`, which give every script tag the request's Content-Security-Policy
    nonce (templates/maps/_embed.html). The parts themselves hold no nonce, so a rendered
    map may be kept and reused across requests."""

    def __init__(self, header: str, html: str, script: str) -> None:
        # Folium's own output: user strings in it went through map_text or compact_json,
        # so `<script` appears only in tags that Folium and our elements wrote.
        self.header = Markup(header)  # noqa: S704 - Folium's rendered output, user text via map_text
        self.html = Markup(html)  # noqa: S704 - Folium's rendered output, user text via map_text
        self.script = Markup(f"<script>\n{script}\n</script>")  # noqa: S704 - as above

    @staticmethod
    def _with_nonce(part: Markup, nonce: str) -> Markup:
        tag = Markup('<script nonce="{}"').format(nonce)
        return Markup(_SCRIPT_TAG.sub(lambda _match: tag, part))  # noqa: S704 - ours

    def header_for(self, nonce: str) -> Markup:
        return self._with_nonce(self.header, nonce)

    def script_for(self, nonce: str) -> Markup:
        return self._with_nonce(self.script, nonce)

    @classmethod
    def of(cls, folium_map: folium.Map) -> MapParts:
        figure = folium_map.get_root()
        assert isinstance(figure, Figure), "a folium.Map's root is its Figure"
        # Folium's header starts with <meta http-equiv="content-type">, meant for a page of
        # its own; in ours (which has <meta charset>) HTML forbids the pair.
        figure.header._children.pop("meta_http", None)
        figure.render()
        return cls(figure.header.render(), figure.html.render(), figure.script.render())
