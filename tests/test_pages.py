"""Every page: our own assets only, friendly errors, JSON errors for JSON clients."""

import re

import pytest

from tests.conftest import csrf_token_from
from tests.factories import TEST_PASSWORD

ASSET = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(src|href|data)"
    r"\s*=\s*[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)
CSS_URL = re.compile(r"(?:url\(|@import\s+)[\"']?((?:https?:)?//[^\"')]+)", re.IGNORECASE)


def external_assets(html: str) -> list[str]:
    found = [url for _tag, _attr, url in ASSET.findall(html)
             if re.match(r"^(?:[a-z]+:)?//", url, re.IGNORECASE)]
    return found + CSS_URL.findall(html)


def page_urls(app) -> list[str]:
    """Every GET route; id arguments are filled with 1 (the first demo object)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {arg: 1 for arg in rule.arguments}
        if any(rule._converters[arg].__class__.__name__ != "IntegerConverter"
               for arg in rule.arguments):
            continue
        urls.append(rule.build(values)[1] if values else rule.rule)
    return sorted(set(urls))


def test_the_asset_checker_catches_external_urls():
    html = ('<script src="https://cdn.example/x.js"></script><link href="//fonts.example/a">'
            '<style>@import "https://x.example/y.css"</style><img src="/static/ok.png">')
    assert len(external_assets(html)) == 3


@pytest.mark.parametrize("who", [None, "admin", "kumla", "viewer"])
def test_no_page_loads_anything_from_another_host(app, client, auth, runner, who):
    runner.invoke(args=["seed-demo"])
    if who:
        auth.login(f"{who}@logistikregionen.example", "demo-password-2026")
    checked = 0
    for url in page_urls(app):
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        checked += 1
        assert external_assets(response.get_data(as_text=True)) == [], url
    assert checked >= 3


def test_missing_page_is_friendly_html_in_swedish(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Vi hittade inte sidan." in response.get_data(as_text=True)


def test_json_clients_get_json_errors(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_api_errors_are_json_and_need_a_bearer_token(client, auth, users):
    auth.login("kumla@test.example", TEST_PASSWORD)  # a session cookie is ignored by the API
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


@pytest.fixture
def app_overrides():
    return {"MAX_CONTENT_LENGTH": 1024}


def test_too_large_request_answers_413(client):
    response = client.post("/login", data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "Det du skickade är för stort." in response.get_data(as_text=True)


def test_form_without_csrf_token_answers_400(app, client, users):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"email": "kumla@test.example",
                                           "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "säkerhetstoken" in response.get_data(as_text=True)


def test_form_with_csrf_token_logs_in(app, client, users):
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "kumla@test.example",
                                           "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_server_error_page_is_friendly(app, client):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)


def test_pages_send_a_referrer_policy_that_keeps_map_tiles_working(client):
    assert client.get("/login").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
