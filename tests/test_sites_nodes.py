"""Logistics nodes: reference data from the migration, edited by admins only; a change
recomputes every site's distances."""

import pytest
import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.sites.geography import geodesic_km
from app.sites.models import LogisticsNode, NodeAccuracy, NodeKind, Site
from tests.factories import TEST_PASSWORD, make_site


def node(name: str) -> LogisticsNode:
    return db.session.scalar(sa.select(LogisticsNode).where(LogisticsNode.name == name))


def test_the_migration_loads_the_nodes_with_estimates_as_approximate(app):
    nodes = db.session.scalars(sa.select(LogisticsNode)).all()
    assert len(nodes) == 12
    airport = node("Örebro Airport (ESOE)")
    assert airport.kind == NodeKind.CARGO_AIRPORT and airport.accuracy == NodeAccuracy.PUBLISHED
    assert airport.municipality.slug == "orebro" and (airport.lat, airport.lon) == (59.2281, 15.04)
    assert node("Hallsbergsterminalen").accuracy == NodeAccuracy.APPROXIMATE


@pytest.mark.parametrize("who", ["kumla", "viewer"])
def test_only_admins_reach_the_node_pages(client, auth, users, who):
    auth.login(f"{who}@test.example", TEST_PASSWORD)
    assert client.get("/admin/nodes").status_code == 403
    assert client.post("/admin/nodes/1", data={}).status_code == 403


def test_admin_page_marks_approximate_nodes_and_links_from_admin_start(client, auth, users):
    auth.login("admin@test.example", TEST_PASSWORD)
    assert 'href="/admin/nodes"' in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/nodes").get_data(as_text=True)
    assert page.count("Ungefärligt (cirka ±2 km)") == 10


def _node_form(n: LogisticsNode, **overrides) -> dict:
    data = {"kind": n.kind.value, "name": n.name, "municipality": n.municipality.slug,
            "lat": str(n.lat), "lon": str(n.lon), "accuracy": n.accuracy.value,
            "note": n.note or "", "version": str(n.version)}
    data.update(overrides)
    return data


def test_moving_a_junction_recomputes_the_distances_of_every_site(client, auth, users):
    site = make_site(lat=59.138, lon=15.118)
    junction = node("Byrstatorp (E20/rv50 x rv52)")
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post(f"/admin/nodes/{junction.id}",
                           data=_node_form(junction, lat="59.1300", lon="15.1500",
                                           accuracy="published"))
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(LogisticsNode, junction.id)
    assert (moved.lat, moved.lon, moved.accuracy) == (59.13, 15.15, NodeAccuracy.PUBLISHED)
    assert moved.version == 2
    site = db.session.get(Site, site.id)
    assert site.version == 1  # derived data: no version bump for the site's editors
    assert site.dist_motorway_km == round(geodesic_km((59.138, 15.118), (59.13, 15.15)), 1)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "node.update"))
    assert event.before["lat"] == 59.14 and event.after["lat"] == 59.13


def test_node_outside_its_municipality_is_refused(client, auth, users):
    airport = node("Örebro Airport (ESOE)")
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post(f"/admin/nodes/{airport.id}",
                           data=_node_form(airport, municipality="arboga"))
    assert response.status_code == 422
    assert "inte i Arboga" in response.get_data(as_text=True)
    db.session.expire_all()
    assert node("Örebro Airport (ESOE)").municipality.slug == "orebro"


def test_stale_node_edit_is_not_saved(client, auth, users):
    airport = node("Örebro Airport (ESOE)")
    form = _node_form(airport)
    auth.login("admin@test.example", TEST_PASSWORD)
    client.post(f"/admin/nodes/{airport.id}", data={**form, "note": "first"})
    response = client.post(f"/admin/nodes/{airport.id}", data={**form, "note": "second"})
    assert response.status_code == 302
    db.session.expire_all()
    assert node("Örebro Airport (ESOE)").note == "first"


def test_admin_adds_and_deletes_a_terminal_and_distances_follow(client, auth, users):
    site = make_site(lat=59.138, lon=15.118)
    auth.login("admin@test.example", TEST_PASSWORD)
    response = client.post("/admin/nodes/new", data={
        "kind": "intermodal_terminal", "name": "Kumla kombiterminal (test)",
        "municipality": "kumla", "lat": "59.1390", "lon": "15.1200", "accuracy": "approximate"})
    assert response.status_code == 302
    assert db.session.get(Site, site.id).dist_terminal_km == 0.2
    created = node("Kumla kombiterminal (test)")
    assert client.post(f"/admin/nodes/{created.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Site, site.id).dist_terminal_km > 5
