"""Database down (issue 13, item 8): pages answer the friendly 503 page, the API a JSON
503, /healthz a JSON 503 naming the database, in seconds. The app points at PostgreSQL
on a loopback port that refuses connections, or at a socket that accepts them and never
answers (the short timeouts set to 1 s, which psycopg rounds up to its minimum of 2 s).
No wall-clock durations are compared: a hang would show as the test never finishing."""

import socket

import pytest

from app import create_app

SWEDISH_503 = "Tjänsten är tillfälligt otillgänglig. Försök igen om några minuter."


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def refusing_database():
    return f"postgresql+psycopg://etablera@127.0.0.1:{_closed_port()}/etablera"


@pytest.fixture
def silent_database():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # the kernel accepts; nobody ever answers
        yield f"postgresql+psycopg://etablera@127.0.0.1:{sock.getsockname()[1]}/etablera"


def _client(url: str):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                     DATABASE_CONNECT_TIMEOUT=1, HEALTH_DATABASE_TIMEOUT=1)
    return app.test_client()


def _assert_api_503(response):
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    assert response.json == {"error": {"code": "unavailable", "message": SWEDISH_503}}


def _assert_page_503(response):
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert SWEDISH_503 in page and "<title>503" in page


def _assert_healthz_503(response):
    assert response.status_code == 503
    assert response.json["database"] == "down"
    assert response.json["status"] == "error"


def test_api_with_a_token_answers_json_503_when_the_database_refuses(refusing_database):
    response = _client(refusing_database).get(
        "/api/v1/me", headers={"Authorization": "Bearer some-token", "Accept-Language": "sv"})
    _assert_api_503(response)


def test_login_answers_the_friendly_503_page_when_the_database_refuses(refusing_database):
    response = _client(refusing_database).post(
        "/login", data={"email": "kumla@test.example", "password": "correct-horse-battery"})
    _assert_page_503(response)


def test_a_page_of_a_logged_in_user_answers_503_when_the_database_refuses(refusing_database):
    client = _client(refusing_database)
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"  # the login id: user id and session generation
        session["_fresh"] = True
    _assert_page_503(client.get("/"))  # the start page: needs the logged-in user


def test_healthz_answers_503_naming_the_database_when_it_refuses(refusing_database):
    _assert_healthz_503(_client(refusing_database).get("/healthz"))


def test_healthz_answers_503_when_the_database_accepts_and_never_answers(silent_database):
    response = _client(silent_database).get("/healthz")
    _assert_healthz_503(response)
    assert response.json["scheduler"] == "unknown"  # not asked: it would wait again


def test_api_and_login_answer_503_when_the_database_accepts_and_never_answers(
        silent_database):
    client = _client(silent_database)
    _assert_api_503(client.get("/api/v1/me", headers={"Authorization": "Bearer some-token",
                                                      "Accept-Language": "sv"}))
    _assert_page_503(client.post("/login", data={"email": "kumla@test.example",
                                                 "password": "correct-horse-battery"}))
