"""The catalogue's pages. Thin: parse, ask app.catalogue.service, render. No page reads
the signed-in user (the same URL and language give every visitor the same page), so the
layout (templates/catalogue/_layout.html) shows no navigation, name or messages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, json, render_template, request, url_for
from flask_babel import force_locale

from app.catalogue import service
from app.maps import service as maps
from app.sites import labels as site_labels
from app.sites import service as sites
from app.sites.nodes import estimated_distances
from app.sites.public import listed_site, public_facts

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


def _language() -> tuple[str, dict[str, str]]:
    """The page's language: `?lang=` (the switch), else the browser's preference, else
    Swedish; and the argument links keep (the language, where one was chosen)."""
    chosen = request.args.get("lang")
    if chosen in service.LANGUAGES:
        return chosen, {"lang": chosen}
    return request.accept_languages.best_match(service.LANGUAGES) or "sv", {}


def _switches(endpoint: str, values: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The language switch: the same page in each language."""
    names = {"sv": "Svenska", "en": "English"}
    return [{"lang": code, "name": names[code], "current": code == language,
             "url": url_for(endpoint, **values, lang=code)} for code in service.LANGUAGES]


def _page(template: str, language: str, **context: Any) -> Response:
    with force_locale(language):
        body = render_template(template, language=language, labels=site_labels,
                               estimated=estimated_distances(),
                               inquiry_url=service.inquiry_url, **context)
    response = Response(body, status=context.get("status", 200), mimetype="text/html")
    response.headers["Content-Language"] = language
    response.vary.add("Accept-Language")
    return response


@bp.get("")
def index():
    language, keep = _language()
    try:
        filt, errors = service.parse_filter(request.args), {}
    except service.FilterInvalid as invalid:
        filt, errors = service.CatalogueFilter(), invalid.errors
    listed = service.catalogue_sites(filt)
    with force_locale(language):
        the_map = service.catalogue_map(listed, filt, language, keep)
    return _page("catalogue/index.html", language, sites=listed, filt=filt,
                 filter_errors=errors, keep=keep, the_map=the_map,
                 geojson_url=url_for("catalogue.geojson", **filt.as_args(), **keep),
                 municipalities=service.municipalities(),
                 switches=_switches("catalogue.index", filt.as_args(), language),
                 status=400 if errors else 200)


@bp.get("/sites/<int:site_id>")
def site(site_id: int):
    language, keep = _language()
    found = listed_site(site_id)
    if found is None:
        abort(404)
    facts = public_facts(found)
    with force_locale(language):
        the_map = maps.site_map(facts.name, facts.lat, facts.lon, "available",
                                sites.nodes_near(facts.lat, facts.lon), public=True)
    return _page("catalogue/site.html", language, site=facts, keep=keep, the_map=the_map,
                 distances=service.node_distances(facts),
                 switches=_switches("catalogue.site", {"site_id": site_id}, language))


@bp.get("/sites.geojson")
def geojson():
    language, keep = _language()
    try:
        filt = service.parse_filter(request.args)
    except service.FilterInvalid as invalid:
        with force_locale(language):
            errors = {name: [str(m) for m in messages] for name, messages in invalid.errors.items()}
        return Response(json.dumps({"error": {"code": "invalid_filter", "fields": errors}}),
                        status=400, mimetype="application/json")
    document = service.geojson(
        service.catalogue_sites(filt),
        lambda site_id: url_for("catalogue.site", site_id=site_id, _external=True, **keep),
        lambda site_id: request.host_url.rstrip("/") + service.inquiry_url(site_id))
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/geo+json")
