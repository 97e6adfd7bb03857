"""Geocoding against a local server that speaks Nominatim's /search JSON format."""

import json
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.sites import geocoding
from app.sites.models import GeocodeResult
from tests.factories import TEST_PASSWORD

PLACES = {
    "viavägen 1, kumla": {"lat": "59.1381", "lon": "15.1179",
                           "display_name": "Viavägen 1, Kumla, Örebro län, Sverige"},
}


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers GET /search like Nominatim; records each request (path, query, headers)."""

    requests: list = []
    delay = 0.0

    def do_GET(self):  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        type(self).requests.append({"path": url.path, "query": query,
                                    "agent": self.headers.get("User-Agent")})
        if self.delay:
            time.sleep(self.delay)
        place = PLACES.get(query.get("q", "").lower())
        body = json.dumps([{"place_id": 1, "licence": "test", "boundingbox": [], "class": "place",
                            "type": "house", "importance": 0.5, **place}] if place else [])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim(app):
    FakeNominatim.requests = []
    FakeNominatim.delay = 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["GEOCODER_URL"] = f"http://127.0.0.1:{server.server_port}"
    app.config["GEOCODER_USER_AGENT"] = "Etablera-test/1.0 (tests@logistikregionen.example)"
    yield FakeNominatim
    server.shutdown()
    thread.join(timeout=5)


def test_geocode_asks_for_sweden_in_swedish_with_our_user_agent(nominatim):
    place = geocoding.geocode("Viavägen 1, Kumla")
    assert (place.lat, place.lon) == (59.1381, 15.1179)
    request = nominatim.requests[0]
    assert request["path"] == "/search"
    assert request["query"]["countrycodes"] == "se"
    assert request["query"]["accept-language"] == "sv"
    assert request["query"]["format"] == "json"
    assert request["agent"] == "Etablera-test/1.0 (tests@logistikregionen.example)"


def test_results_are_cached_in_the_database(nominatim):
    geocoding.geocode("Viavägen 1, Kumla")
    again = geocoding.geocode("  viavägen 1,   KUMLA ")
    assert again.lat == 59.1381
    assert len(nominatim.requests) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GeocodeResult)) == 1


def test_nothing_found_is_none_and_cached(nominatim):
    assert geocoding.geocode("Ingenstans 99") is None
    assert geocoding.geocode("Ingenstans 99") is None
    assert len(nominatim.requests) == 1


def test_timeout_raises_unavailable(app, nominatim):
    app.config["GEOCODER_TIMEOUT"] = 0.3
    nominatim.delay = 1.0
    with pytest.raises(geocoding.GeocoderUnavailable):
        geocoding.geocode("Viavägen 1, Kumla")


def test_server_down_raises_unavailable(app):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.config["GEOCODER_URL"] = f"http://127.0.0.1:{port}"
    with pytest.raises(geocoding.GeocoderUnavailable):
        geocoding.geocode("Viavägen 1, Kumla")


class FakeClock:
    """A clock shared by threads: `sleep` moves time on at once instead of waiting, and
    each thread's latest reading is kept (the throttle's last reading is its turn)."""

    def __init__(self, start: datetime) -> None:
        self.moment = start
        self.lock = threading.Lock()
        self.sleeps: list[float] = []
        self.last_reading: dict[int, datetime] = {}

    def now(self) -> datetime:
        with self.lock:
            self.last_reading[threading.get_ident()] = self.moment
            return self.moment

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.moment += timedelta(seconds=seconds)


def test_at_most_one_request_per_second_across_workers(app, nominatim):
    """Three workers, each with its own database connection (as separate processes have),
    ask at the same moment: the throttle row gives them turns a second apart, in order,
    on an injected clock (no wall-clock gaps are measured)."""
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    turns: dict[str, datetime] = {}

    def worker(name):
        with app.app_context():
            geocoding.geocode(f"Adress {name}", sleep=clock.sleep, now=clock.now)
            turns[name] = clock.last_reading[threading.get_ident()]
            db.session.remove()

    worker("först")
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert len(nominatim.requests) == 4
    assert sorted(request["query"]["q"] for request in nominatim.requests) == [
        "Adress 0", "Adress 1", "Adress 2", "Adress först"]
    order = sorted(turns.values())
    assert order[0] == turns["först"]
    assert len(set(order)) == 4, "every worker had a turn of its own"
    assert [(b - a).total_seconds() for a, b in zip(order, order[1:], strict=False)] == [
        1.0, 1.0, 1.0]
    assert clock.sleeps == [1.0, 1.0, 1.0]


def test_find_address_button_proposes_coordinates_without_saving(client, auth, users, nominatim):
    from app.sites.models import Site
    from tests.test_sites_pages import form_data

    auth.login("kumla@test.example", TEST_PASSWORD)
    response = client.post("/sites/new", data=form_data(address="Viavägen 1, Kumla", lat="",
                                                        lon="", action="geocode"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="59.1381"' in page and 'value="15.1179"' in page
    assert "Föreslaget läge: Viavägen 1, Kumla" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 0


def test_find_address_with_nothing_found_says_so(client, auth, users, nominatim):
    from tests.test_sites_pages import form_data

    auth.login("kumla@test.example", TEST_PASSWORD)
    response = client.post("/sites/new", data=form_data(address="Ingenstans 1", action="geocode"))
    assert "Ingen plats i Sverige hittades" in response.get_data(as_text=True)
