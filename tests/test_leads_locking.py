"""Optimistic locking: a stale edit is refused (409) and never overwrites."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.extensions import db
from app.leads.models import Lead
from app.locking import StaleVersion, update_versioned
from tests.leads_helpers import bearer, login, make_lead


@pytest.fixture
def lead(users):
    return make_lead(users["kumla"], "locking")


def _edit(client, lead, version, sector):
    return client.post(f"/leads/{lead.id}/edit", data={
        "source": "direct", "codename": lead.codename, "version": version, "sector": sector,
        "description": lead.description, "link_company_id": lead.company_id})


def test_stale_page_edit_answers_409_with_both_versions(client, lead):
    login(client, "kumla")
    assert _edit(client, lead, 1, "Cold storage").status_code == 302
    stale = _edit(client, lead, 1, "Recycling")
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "Recycling" in body and "Cold storage" in body and 'data-testid="conflict"' in body
    db.session.refresh(lead)
    assert lead.sector == "Cold storage" and lead.version == 2


def test_stale_stage_change_answers_409(client, lead):
    login(client, "kumla")
    assert client.post(f"/leads/{lead.id}/stage", data={"stage": "qualified",
                                                         "version": 1}).status_code == 302
    response = client.post(f"/leads/{lead.id}/stage", data={"stage": "on_hold", "version": 1},
                           headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert db.session.get(Lead, lead.id).stage.value == "qualified"


def test_stale_api_patch_answers_409_json(client, lead, tokens):
    headers = bearer(tokens["kumla"])
    first = client.patch(f"/api/v1/leads/{lead.id}", json={"version": 1, "sector": "A"},
                         headers=headers)
    assert first.status_code == 200 and first.json["version"] == 2
    stale = client.patch(f"/api/v1/leads/{lead.id}", json={"version": 1, "sector": "B"},
                         headers=headers)
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "conflict"
    assert db.session.get(Lead, lead.id).sector == "A"


def test_api_patch_without_a_version_is_refused(client, lead, tokens):
    response = client.patch(f"/api/v1/leads/{lead.id}", json={"sector": "B"},
                            headers=bearer(tokens["kumla"]))
    assert response.status_code == 422 and "version" in response.json["error"]["fields"]


def test_two_connections_at_once_only_one_update_wins(app, lead):
    """Two sessions on their own connections both load version 1 and both try to save."""
    engine = db.engine
    with Session(engine) as first, Session(engine) as second:
        mine = first.get(Lead, lead.id)
        theirs = second.get(Lead, lead.id)
        assert mine.version == theirs.version == 1
        result = first.execute(sa.update(Lead).where(Lead.id == lead.id, Lead.version == 1)
                               .values(sector="first", version=Lead.version + 1))
        assert result.rowcount == 1
        first.commit()
        # the second connection still holds version 1: its UPDATE matches no row
        result = second.execute(sa.update(Lead).where(Lead.id == lead.id, Lead.version == 1)
                                .values(sector="second", version=Lead.version + 1))
        assert result.rowcount == 0
        second.rollback()
    db.session.expire_all()
    stored = db.session.get(Lead, lead.id)
    assert (stored.sector, stored.version) == ("first", 2)


def test_update_versioned_refuses_when_another_connection_saved_in_between(app, lead):
    """The service path: the form said version 1, another connection already saved 2."""
    with Session(db.engine) as other:
        other.execute(sa.update(Lead).where(Lead.id == lead.id)
                      .values(sector="other", version=2))
        other.commit()
    loaded = db.session.get(Lead, lead.id)
    with pytest.raises(StaleVersion) as caught:
        update_versioned(loaded, 1, {"sector": "mine"})
    assert caught.value.current.version == 2
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).sector == "other"


def test_the_conflict_page_labels_formats_and_marks_only_real_differences(client, lead):
    """Issue 18: Ja/Nej, not False; labels, not codes ("direct", "[]"); grouped numbers;
    only the fields that differ are marked (None, "" and [] are the same nothing)."""
    import re

    login(client, "kumla")
    assert _edit(client, lead, 1, "Cold storage").status_code == 302
    stale = client.post(f"/leads/{lead.id}/edit", data={
        "source": "direct", "codename": lead.codename, "version": 1, "sector": "Recycling",
        "description": lead.description, "link_company_id": lead.company_id,
        "received_on": "2026-10-01", "land_min_m2": "", "power_mw": ""})
    assert stale.status_code == 409
    table = stale.get_data(as_text=True).split('data-testid="conflict"', 1)[1].split("</table>")[0]
    rows = re.findall(r"<tr( class=\"table-warning\" data-differs)?><th scope=\"row\">([^<]*)</th>"
                      r"<td>([^<]*)</td><td>([^<]*)</td>", table)
    differing = [label for marked, label, _mine, _stored in rows if marked]
    assert differing == ["Bransch"]  # not the blank fields, not the hidden ones
    assert all(label for _m, label, _mine, _stored in rows)  # every row labelled
    cells = " ".join(mine + " " + stored for _m, _l, mine, stored in rows)
    for raw in ("False", "True", "None", "direct", "[]"):
        assert raw not in cells, raw
    assert "Direktkontakt" in cells or "Direkt" in cells
    assert "1 okt. 2026" in cells and "Nej" in cells
