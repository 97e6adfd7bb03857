"""The intake API: intake clients made by the CLI may only post inquiries; idempotency
keys replay, refuse another body, and make one lead of two concurrent requests."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.intake.clients import create_client
from app.leads.models import Source
from tests.intake_helpers import leads

BODY = {"company_name": "Baltic Cold Chain Oy", "country": "Finland",
        "contact_name": "Aino Virtanen", "email": "aino@bcc.example",
        "plans": "A cold store of 15 000 m² near the E20.", "land_area_m2": 40000,
        "power_mw": 4.0, "municipalities": ["hallsberg"]}


@pytest.fixture
def token(app, users) -> str:
    return create_client("Business Sweden", "business_sweden")


def post(client, token: str, body: dict, key: str | None = None):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/inquiries", json=body, headers=headers)


def test_the_cli_prints_the_token_once_on_the_last_line_and_revokes_it(runner, client, users):
    result = runner.invoke(args=["intake", "client", "create", "--name", "Region Örebro län",
                                 "--source", "region"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip().splitlines()[-1]
    assert post(client, raw, BODY).status_code == 201
    assert raw not in str(db.session.execute(sa.text("SELECT token_hash FROM intake_clients"))
                          .all())
    assert runner.invoke(args=["intake", "client", "revoke", "Region Örebro län"]).exit_code == 0
    assert post(client, raw, BODY).status_code == 401


def test_an_unknown_source_is_refused_by_the_cli(runner):
    result = runner.invoke(args=["intake", "client", "create", "--name", "X", "--source", "fax"])
    assert result.exit_code != 0 and "source" in result.output


def test_an_inquiry_becomes_a_lead_with_the_clients_source(client, token, users):
    response = post(client, token, BODY)
    assert response.status_code == 201
    [lead] = leads()
    assert response.json == {"id": lead.id, "reference": lead.inquiry_reference}
    assert (lead.source, lead.municipality.slug) == (Source.BUSINESS_SWEDEN, "hallsberg")
    assert lead.company.country == "Finland" and lead.company.orgnr is None


def test_an_intake_token_opens_nothing_else_and_a_users_token_not_this(client, token, tokens):
    assert client.get("/api/v1/leads", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert post(client, tokens["kumla"], BODY).status_code == 401
    assert post(client, "", BODY).status_code == 401


@pytest.mark.parametrize("change, field", [
    ({"email": "not-an-address"}, "email"), ({"orgnr": "556016-0681"}, "orgnr"),
    ({"plans": "x\x00y"}, "plans"), ({"municipalities": ["stockholm"]}, "municipalities"),
    ({"land_area_m2": -5}, "land_area_m2"), ({"company_name": "x" * 201}, "company_name"),
    ({"unknown": 1}, "unknown"), ({"site_id": 999999}, "site_id"),
])
def test_the_input_rules_hold(client, token, users, change, field):
    response = post(client, token, BODY | change)
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert leads() == []


def test_a_repeat_with_the_same_key_and_body_replays_the_first_answer(client, token, users):
    first = post(client, token, BODY, key="bs-2026-0001")
    again = post(client, token, dict(reversed(BODY.items())), key="bs-2026-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(leads()) == 1


def test_the_same_key_with_another_body_is_refused(client, token, users):
    post(client, token, BODY, key="bs-2026-0002")
    response = post(client, token, BODY | {"power_mw": 9.0}, key="bs-2026-0002")
    assert response.status_code == 422 and "Idempotency-Key" in response.json["error"]["fields"]
    assert len(leads()) == 1


def test_keys_are_per_client(client, token, users):
    other = create_client("Partner CRM", "broker")
    post(client, token, BODY, key="same")
    assert post(client, other, BODY, key="same").status_code == 201
    assert len(leads()) == 2


def test_a_key_is_kept_seven_days(client, token, users):
    import time_machine

    from app.clock import utcnow

    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        post(client, token, BODY, key="week")
        traveller.shift(timedelta(days=6, hours=23))
        assert post(client, token, BODY, key="week").status_code == 200
        traveller.shift(timedelta(hours=2))
        assert post(client, token, BODY, key="week").status_code == 201
    assert len(leads()) == 2


def test_two_concurrent_identical_requests_make_one_lead(app, token, users):
    """Both threads post at once with one key (PostgreSQL: the second waits on the key's
    unique index and replays; SQLite serialises the writers)."""
    answers: list[int] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        with app.app_context():
            barrier.wait()
            answers.append(post(app.test_client(), token, BODY, key="race-1").status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 201]
    assert len(leads()) == 1


def test_the_openapi_document_describes_the_inquiries(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/inquiries"]["post"]
    assert {"200", "201", "401", "422"} <= set(operation["responses"])
    assert operation["parameters"][0]["name"] == "Idempotency-Key"
    assert "InquiryInput" in document["components"]["schemas"]
