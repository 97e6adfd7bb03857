"""Numbers that only our own forms and links send (versions, ids, page numbers): a value
made by hand is refused or ignored, never a server error, never a conflict page."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.input_rules import whole_number
from app.leads.models import Lead
from app.sites.models import LogisticsNode
from tests.leads_helpers import login, make_lead

HAND_MADE = ["²", "٣", "abc", "1.5", "-1", " 2", "9" * 40]


@pytest.mark.parametrize(("text", "expected"), [
    ("1", 1), ("007", 7), ("123456789", 123456789), ("1234567890", None), ("", None),
    (None, None), ("²", None), ("٣", None), ("1.5", None), ("-1", None), (" 1", None),
])
def test_whole_number_reads_only_ascii_digits(text, expected):
    assert whole_number(text) == expected


@pytest.mark.parametrize("version", HAND_MADE)
def test_a_hand_made_lead_version_is_a_400_and_changes_nothing(client, users, version):
    lead = make_lead(users["kumla"], "tampered")
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/edit", data={
        "source": "direct", "codename": lead.codename, "version": version,
        "sector": "Changed", "description": lead.description,
        "link_company_id": lead.company_id})
    assert response.status_code == 400
    stage = client.post(f"/leads/{lead.id}/stage", data={"stage": "qualified", "version": version})
    assert stage.status_code == 400
    db.session.expire_all()
    stored = db.session.get(Lead, lead.id)
    assert stored.sector != "Changed" and stored.stage.value == "new" and stored.version == 1


@pytest.mark.parametrize("link", ["²", "٣", "9" * 40])
def test_a_hand_made_company_link_is_not_a_server_error(client, users, link):
    lead = make_lead(users["kumla"], "tampered")
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/edit", data={
        "source": "direct", "codename": lead.codename, "version": 1,
        "sector": "Changed", "description": lead.description, "link_company_id": link})
    assert response.status_code < 500


@pytest.mark.parametrize("value", HAND_MADE)
def test_hand_made_page_and_owner_filters_show_the_list(client, users, value):
    make_lead(users["kumla"], "listed")
    login(client, "kumla")
    response = client.get("/leads", query_string={"page": value, "owner": value})
    assert response.status_code == 200


@pytest.mark.parametrize("version", ["²", "abc"])
def test_a_hand_made_logistics_node_version_is_a_400(client, users, version):
    node = db.session.scalars(db.select(LogisticsNode)).first()
    assert node is not None, "the migrations seed the logistics nodes"
    login(client, "admin")
    response = client.post(f"/admin/nodes/{node.id}", data={
        "kind": node.kind.value, "name": "Renamed", "municipality": node.municipality.slug,
        "lat": node.lat, "lon": node.lon, "accuracy": node.accuracy.value, "note": "",
        "version": version})
    assert response.status_code == 400
    db.session.refresh(node)
    assert node.name != "Renamed"
