"""The admin's match weights (issue 15): stored, audited, under optimistic locking, bad
input refused in Swedish, and used by the match page and the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from app.candidates import weights
from app.candidates.matching import DEFAULT_WEIGHTS
from app.candidates.models import MatchSettings
from app.core.models import AuditEvent
from app.extensions import db
from tests.factories import make_site
from tests.leads_helpers import bearer, make_lead


def _form(version: int, **changed: object) -> dict[str, object]:
    return {"version": str(version), **DEFAULT_WEIGHTS, **changed}


def _stored() -> MatchSettings:
    db.session.expire_all()
    return db.session.get(MatchSettings, weights.SETTINGS_ID)


def test_without_changes_every_criterion_weighs_its_documented_default(app):
    with app.test_request_context():
        assert weights.match_weights() == DEFAULT_WEIGHTS


def test_an_admin_changes_weights_and_the_change_is_audited(client, auth, users):
    auth.login("admin@test.example")
    page = client.get("/admin/match-weights").get_data(as_text=True)
    assert "Matchningsvikter" in page and 'name="land_area"' in page and "Standard: 3" in page
    response = client.post("/admin/match-weights", data=_form(1, land_area=0, power=10))
    assert response.status_code == 302
    stored = _stored()
    assert stored.version == 2
    assert weights.weights_of(stored) == DEFAULT_WEIGHTS | {"land_area": 0, "power": 10}
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "match_weights.changed"))
    assert event.before == {"land_area": 3, "power": 3}
    assert event.after == {"land_area": 0, "power": 10}


@pytest.mark.parametrize("who", ["kumla", "viewer"])
def test_only_admins_change_weights(client, auth, users, who):
    auth.login(users[who].email)
    assert client.get("/admin/match-weights").status_code == 403
    assert client.post("/admin/match-weights", data=_form(1, power=9)).status_code == 403
    assert _stored().version == 1 and _stored().weights == {}


@pytest.mark.parametrize(("value", "message"), [
    ("11", "10"), ("-1", "under noll"), ("elva", "heltal"), ("2.5", "heltal"), ("", "")])
def test_bad_weights_are_refused_in_swedish_and_nothing_changes(client, auth, users, value,
                                                                 message):
    auth.login("admin@test.example")
    response = client.post("/admin/match-weights", data=_form(1, power=value))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="power"' in body and "is-invalid" in body and message in body
    assert _stored().version == 1 and _stored().weights == {}


def test_a_stale_form_changes_nothing_and_says_so(client, auth, users):
    auth.login("admin@test.example")
    assert client.post("/admin/match-weights", data=_form(1, power=5)).status_code == 302
    response = client.post("/admin/match-weights", data=_form(1, power=1), follow_redirects=True)
    assert "Någon annan ändrade vikterna" in response.get_data(as_text=True)
    assert weights.weights_of(_stored())["power"] == 5


def test_the_match_page_and_the_api_score_with_the_stored_weights(client, auth, users, tokens):
    lead = make_lead(users["kumla"], "vikter")
    lead.power_mw, lead.water_sewage = 5.0, True  # nice-to-haves, as the land area is
    db.session.commit()
    make_site("kumla", name="Bara effekt", power_mw=10.0, water_sewage=False)

    def score() -> int:
        answer = client.get(f"/api/v1/leads/{lead.id}/matches", headers=bearer(tokens["kumla"]))
        (item,) = [i for i in answer.json["items"] if i["site_name"] == "Bara effekt"]
        return item["score"]

    # Defaults: power 3 met; land area 3 (50,000 m² > 20,000), VA 1, detaljplan 2 (unknown)
    # not: 3 of 9 -> 33.
    assert score() == 33
    auth.login("admin@test.example")
    client.post("/admin/match-weights",
                data=_form(1, power=10, land_area=0, water_sewage=0, detaljplan=0))
    assert score() == 100
    auth.login(users["kumla"].email)
    page = client.get(f"/leads/{lead.id}/matches").get_data(as_text=True)
    assert 'data-testid="match-row"' in page and ">100<" in page


def test_stored_weights_count_and_criteria_they_do_not_name_weigh_their_default(app):
    row = _stored()
    row.weights = {"power": 7, "rail_siding": 0, "no_such_criterion": 9}
    db.session.commit()
    with app.test_request_context():
        assert weights.match_weights() == DEFAULT_WEIGHTS | {"power": 7, "rail_siding": 0}


def test_a_request_reads_the_weights_once_and_a_save_reads_them_again(app, users):
    statements: list[str] = []

    def counter(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.test_request_context():
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            db.session.expire_all()
            assert weights.match_weights()["power"] == 3
            weights.match_weights()
            reads = [s for s in statements if "match_settings" in s]
            assert len(reads) == 1, reads
            weights.save_weights(users["admin"], 1, DEFAULT_WEIGHTS | {"power": 8})
            assert weights.match_weights()["power"] == 8
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
