"""/api/v1/sites: the same rules as the pages, answers that match the OpenAPI document."""


import jsonschema_rs
import pytest
import sqlalchemy as sa

from app.auth.service import issue_api_token
from app.extensions import db
from app.sites.models import Site, SiteStatus
from tests.factories import make_site

BODY = {"name": "API-tomten", "municipality": "kumla", "kind": "land", "lat": 59.138,
        "lon": 15.118, "land_area_m2": 30000, "price_sek_m2": 250, "rail_siding": "possible"}


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable` becomes a null type, refs point at $defs."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    elif node.get("nullable"):  # a nullable reference ({"allOf": [{"$ref": …}]}): or null
        out = {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture
def schema_of(client):
    document = client.get("/api/v1/openapi.json").json
    definitions = _json_schema(document["components"]["schemas"])

    def validator(path: str, method: str, status: int):
        response = document["paths"][path][method]["responses"][str(status)]
        schema = next(iter(response["content"].values()))["schema"]
        return jsonschema_rs.validator_for({**_json_schema(schema), "$defs": definitions})

    return validator


@pytest.fixture
def api(app, users):
    class Api:
        def __init__(self):
            self.tokens = {}

        def _headers(self, who):
            if who not in self.tokens:
                self.tokens[who] = issue_api_token(users[who])
                db.session.commit()
            return {"Authorization": f"Bearer {self.tokens[who]}"}

        def get(self, url, who="kumla"):
            return app.test_client().get(url, headers=self._headers(who))

        def post(self, url, body, who="kumla"):
            return app.test_client().post(url, json=body, headers=self._headers(who))

        def patch(self, url, body, who="kumla"):
            return app.test_client().patch(url, json=body, headers=self._headers(who))

    return Api()


def assert_matches(validator, body):
    errors = [str(e) for e in validator.iter_errors(body)]
    assert errors == []


def test_create_read_and_list_a_site(api, schema_of):
    created = api.post("/api/v1/sites", BODY)
    assert created.status_code == 201, created.json
    assert_matches(schema_of("/sites", "post", 201), created.json)
    site = created.json
    assert site["municipality"] == "kumla" and site["lat"] == 59.138 and site["version"] == 1
    assert site["status"] == "available" and site["warnings"] == []
    assert site["completeness"] == {"present": 3, "total": 5, "missing": ["power", "detaljplan"]}
    one = api.get(f"/api/v1/sites/{site['id']}", who="viewer")
    assert one.status_code == 200
    assert_matches(schema_of("/sites/{site_id}", "get", 200), one.json)
    listing = api.get("/api/v1/sites?municipality=kumla&per_page=10", who="arboga")
    assert listing.json["total"] == 1
    assert_matches(schema_of("/sites", "get", 200), listing.json)


@pytest.mark.parametrize(("change", "field"), [
    ({"lat": 59.3939, "lon": 15.8388}, "lat"),
    ({"lat": 15.118, "lon": 59.138}, "lat"),
    ({"lat": "59.1"}, "lat"),
    ({"land_area_m2": -1}, "land_area_m2"),
    ({"land_area_m2": "big"}, "land_area_m2"),
    ({"price_sek_m2": -10}, "price_sek_m2"),
    ({"power_mw": -2.5}, "power_mw"),
    ({"kind": "castle"}, "kind"),
    ({"status": "gone"}, "status"),
    ({"rail_siding": ["existing"]}, "rail_siding"),
    ({"municipality": ["kumla"]}, "municipality"),
    ({"municipality": "stockholm"}, "municipality"),
    ({"name": "x" * 121}, "name"),
    ({"name": "bad\u0000name"}, "name"),
    ({"address": "lone \ud800 surrogate"}, "address"),
    ({"available_from": "2027-13-01"}, "available_from"),
    ({"public": "yes"}, "public"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_input_is_422_with_field_errors_in_swedish_and_nothing_stored(api, schema_of, change, field):
    response = api.post("/api/v1/sites", {**BODY, **change})
    assert response.status_code == 422
    assert_matches(schema_of("/sites", "post", 422), response.json)
    assert field in response.json["error"]["fields"]
    assert response.json["error"]["message"] == "Några fält behöver rättas."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 0


def test_missing_required_fields_are_named(api):
    response = api.post("/api/v1/sites", {"name": "Only a name"})
    assert set(response.json["error"]["fields"]) == {"municipality", "kind", "lat", "lon"}


def test_non_object_body_is_400(api, schema_of):
    response = api.post("/api/v1/sites", [1, 2])
    assert response.status_code == 400
    assert_matches(schema_of("/sites", "post", 400), response.json)


def test_viewer_cannot_create_and_others_cannot_edit(api, schema_of):
    assert api.post("/api/v1/sites", BODY, who="viewer").status_code == 403
    site = make_site()
    response = api.patch(f"/api/v1/sites/{site.id}", {"version": 1, "name": "X"}, who="arboga")
    assert response.status_code == 403
    assert_matches(schema_of("/sites/{site_id}", "patch", 403), response.json)
    assert api.patch(f"/api/v1/sites/{site.id}", {"version": 1, "name": "X"},
                     who="viewer").status_code == 403


def test_advisor_cannot_create_in_another_municipality(api):
    response = api.post("/api/v1/sites", {**BODY, "municipality": "orebro", "lat": 59.2741,
                                          "lon": 15.2066})
    assert response.status_code == 422
    assert "municipality" in response.json["error"]["fields"]


def test_patch_with_current_version_saves_and_stale_version_is_409(api, schema_of):
    site = make_site()
    saved = api.patch(f"/api/v1/sites/{site.id}", {"version": 1, "price_sek_m2": 480})
    assert saved.status_code == 200
    assert_matches(schema_of("/sites/{site_id}", "patch", 200), saved.json)
    assert saved.json["price_sek_m2"] == 480 and saved.json["version"] == 2
    stale = api.patch(f"/api/v1/sites/{site.id}", {"version": 1, "price_sek_m2": 100})
    assert stale.status_code == 409
    assert_matches(schema_of("/sites/{site_id}", "patch", 409), stale.json)
    assert stale.json["error"]["current"]["price_sek_m2"] == 480
    assert db.session.get(Site, site.id).price_sek_m2 == 480
    missing = api.patch(f"/api/v1/sites/{site.id}", {"price_sek_m2": 1})
    assert missing.status_code == 422


def test_moving_a_site_recomputes_its_distances(api):
    site = make_site()
    before = site.dist_airport_km
    moved = api.patch(f"/api/v1/sites/{site.id}", {"version": 1, "lat": 59.128, "lon": 15.15})
    assert moved.status_code == 200
    assert moved.json["dist_airport_km"] != before


def test_hidden_and_missing_sites_are_404(api, schema_of):
    withdrawn = make_site(status=SiteStatus.WITHDRAWN)
    for url in (f"/api/v1/sites/{withdrawn.id}", "/api/v1/sites/999999", f"/api/v1/sites/{2**40}"):
        response = api.get(url, who="viewer")
        assert response.status_code == 404
        assert_matches(schema_of("/sites/{site_id}", "get", 404), response.json)
    assert api.get(f"/api/v1/sites/{withdrawn.id}", who="kumla").status_code == 200


def test_geojson_is_rfc_7946_with_lon_lat_order(api, schema_of):
    site = make_site(lat=59.138, lon=15.118)
    response = api.get("/api/v1/sites.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert_matches(schema_of("/sites.geojson", "get", 200), response.json)
    feature = response.json["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [15.118, 59.138]}
    assert feature["id"] == site.id and feature["properties"]["municipality"] == "kumla"


def test_bad_filters_and_pages_are_400(api, schema_of):
    for url in ("/api/v1/sites?status=gone", "/api/v1/sites?min_area=abc",
                "/api/v1/sites?page=0", f"/api/v1/sites?page={10**12}",
                "/api/v1/sites.geojson?rail=maybe", "/api/v1/sites?min_power=1e400",
                f"/api/v1/sites?min_area={10**12}"):  # beyond the 32-bit area column
        response = api.get(url)
        assert response.status_code == 400, url
        assert_matches(schema_of("/sites", "get", 400), response.json)


def test_search_ignores_control_characters(api):
    make_site(name="Sökbar tomt")
    assert api.get("/api/v1/sites?q=S%C3%B6k%00bar").json["total"] == 1


def test_api_needs_a_bearer_token(client):
    response = client.get("/api/v1/sites")
    assert response.status_code == 401


def test_openapi_describes_every_sites_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/sites"]) == {"get", "post"}
    assert set(paths["/sites/{site_id}"]) == {"get", "patch"}
    assert set(paths["/sites.geojson"]) == {"get"}
    site_schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]["Site"]
    assert {"municipality", "lat", "lon", "version", "price_public", "public"} <= set(
        site_schema["properties"])
    # Distances are straight lines, and some nodes' positions are estimates: said so.
    for key in ("dist_motorway_km", "dist_terminal_km", "dist_airport_km"):
        description = site_schema["properties"][key]["description"]
        assert "as the crow flies" in description and "±2 km" in description


def test_every_api_field_is_a_model_column_or_documented_extra(client):
    columns = set(Site.__table__.columns.keys())
    document = client.get("/api/v1/openapi.json").json
    site = document["components"]["schemas"]["Site"]
    extras = {"municipality", "land_area_ha", "completeness", "warnings"}
    assert set(site["properties"]) - columns == extras
    assert site["additionalProperties"] is False


def test_an_unknown_incomplete_filter_is_refused_not_read_as_off(client, users):
    """Schemathesis: `incomplete` is documented as 1 or 0; anything else was read as off."""
    from app.auth.service import issue_api_token
    from tests.leads_helpers import bearer

    token = issue_api_token(users["kumla"])
    assert client.get("/api/v1/sites?incomplete=1", headers=bearer(token)).status_code == 200
    refused = client.get("/api/v1/sites?incomplete=banana", headers=bearer(token))
    assert refused.status_code in (400, 422)
