"""The logistics nodes of issue 15: the missing trafikplatser, Byrstatorp corrected, notes
in Swedish, and distances to estimated nodes said in whole km ("≈"), as straight lines."""

from __future__ import annotations

import importlib

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app import create_app
from app.candidates import service as candidates
from app.extensions import db
from app.maps.service import NodePoint, lead_map, matches_map, site_map, sites_map
from app.sites.models import LogisticsNode, NodeAccuracy, NodeKind, Site
from tests.factories import make_site
from tests.leads_helpers import login, make_lead

NEAR_VRETSTORP = (59.0320, 14.8900)  # Hallsberg, by E20 west of Hallsberg
shipped = importlib.import_module("migrations.versions.0025_logistics_nodes")


def _nodes() -> dict[str, LogisticsNode]:
    return {node.name: node for node in db.session.scalars(sa.select(LogisticsNode))}


def test_the_junctions_where_e20_and_e18_are_motorway_are_there_and_estimated(app):
    nodes = _nodes()
    for name in ("Vretstorp (E20)", "Glanshammar (E18/E20)"):
        assert nodes[name].kind == NodeKind.MOTORWAY_JUNCTION
        assert nodes[name].accuracy == NodeAccuracy.APPROXIMATE
    assert nodes["Vretstorp (E20)"].municipality.slug == "hallsberg"
    assert nodes["Glanshammar (E18/E20)"].municipality.slug == "orebro"
    byrstatorp = nodes["Byrstatorp (E20/rv50 x rv52)"]
    assert "rv 52" in byrstatorp.note and "Sköllersta" in byrstatorp.note
    assert not any("Junction" in (node.note or "") for node in nodes.values())


def test_a_site_by_vretstorp_is_next_to_a_trafikplats(app):
    site = make_site("hallsberg", name="Vid E20", lat=NEAR_VRETSTORP[0], lon=NEAR_VRETSTORP[1])
    assert site.dist_motorway_km < 2


def test_the_migration_corrects_shipped_nodes_keeps_an_admins_edit_and_recomputes(
        test_databases):
    url = test_databases.empty()
    try:
        application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with application.app_context():
            config = application.extensions["migrate"].migrate.get_config()
            before = ScriptDirectory.from_config(config).get_revision("0025").down_revision
            upgrade(revision=before)
            # The nodes as an older release shipped them (0003 loads today's file).
            for old, new in shipped.RENAMED.items():
                db.session.execute(sa.update(LogisticsNode).where(LogisticsNode.name == new)
                                   .values(name=old))
            for name, note in shipped.OLD_NOTES.items():
                db.session.execute(sa.update(LogisticsNode).where(
                    LogisticsNode.name.in_([name, *[o for o, n in shipped.RENAMED.items()
                                                    if n == name]])).values(note=note))
            db.session.execute(sa.update(LogisticsNode).where(
                LogisticsNode.name == "Marieberg (E20/rv50 x rv51)").values(note="Egen text"))
            db.session.execute(sa.delete(LogisticsNode).where(LogisticsNode.name.in_(
                ["Vretstorp (E20)", "Glanshammar (E18/E20)"])))
            db.session.commit()
            site = make_site("hallsberg", name="Vid E20", lat=NEAR_VRETSTORP[0],
                             lon=NEAR_VRETSTORP[1])
            assert site.dist_motorway_km > 10  # the old five junctions: far away
            upgrade(revision="0025")
            db.session.expire_all()
            nodes = _nodes()
            assert "Byrstatorp (E20/rv50 x rv51/52)" not in nodes
            assert nodes["Byrstatorp (E20/rv50 x rv52)"].note.startswith("Trafikplats 107")
            assert nodes["Adolfsberg (E20/rv50 x E18)"].note == "Trafikplats 110"
            assert nodes["Marieberg (E20/rv50 x rv51)"].note == "Egen text"  # an admin's
            assert {"Vretstorp (E20)", "Glanshammar (E18/E20)"} <= set(nodes)
            assert db.session.get(Site, site.id).dist_motorway_km < 2
            db.session.remove()
            db.engine.dispose()
    finally:
        test_databases.drop(url)


def test_distances_to_estimated_nodes_are_whole_km_and_said_to_be_straight_lines(
        client, users):
    site = make_site("kumla", name="Uppskattat avstånd")
    assert site.dist_motorway_km % 1 != 0  # e.g. 0.9 km: shown as ≈ 1 km
    login(client, "kumla")
    page = client.get(f"/sites/{site.id}").get_data(as_text=True)
    assert f"≈ {round(site.dist_motorway_km)} km" in page
    assert "fågelvägen" in page
    # The airport's position is published: its distance keeps its decimal.
    assert f"{site.dist_airport_km:.1f}".replace(".", ",") + " km" in page


def test_match_explanations_say_estimated_distances_in_whole_km(app, users):
    lead = make_lead(users["kumla"], "avstånd")
    lead.motorway_km_max = 5.0
    db.session.commit()
    site = make_site("kumla", name="Nära trafikplats")
    with app.test_request_context():
        (match,) = [m for m in candidates.match_page(users["kumla"], candidates.needs_of(lead),
                                                     10).fitting if m.site.id == site.id]
        motorway = next(c for c in match.criteria if c.key == "motorway_km")
    assert motorway.explanation == (
        f"Trafikplats ≈ {round(site.dist_motorway_km)} km fågelvägen ≤ 5 km")


@pytest.mark.parametrize("path", ["/sites/map"])
def test_maps_round_the_estimated_distances(client, users, path):
    make_site("kumla", name="På kartan")
    login(client, "kumla")
    page = client.get(path).get_data(as_text=True)
    assert '"estimated":[7,8]' in page  # trafikplats and terminal; the airport is published


ESTIMATED = NodePoint("Vretstorp (E20)", "Trafikplats", "Hallsberg", 59.03, 14.875, True)
PUBLISHED = NodePoint("Hallsberg Central", "Järnvägsstation", "Hallsberg", 59.0669, 15.1111, False)
MAPS = {"sites": lambda nodes: sites_map([], nodes),
        "site": lambda nodes: site_map("Objekt", 59.07, 15.11, "available", nodes),
        "lead": lambda nodes: lead_map(["hallsberg"], nodes),
        "matches": lambda nodes: matches_map([], nodes, ["hallsberg"])}


@pytest.mark.parametrize("kind", sorted(MAPS))
def test_map_legends_tell_estimated_nodes_from_published_ones(app, kind):
    with app.test_request_context("/"):
        mixed = str(MAPS[kind]([ESTIMATED, PUBLISHED]).script)
        estimated_only = str(MAPS[kind]([ESTIMATED]).script)
        published_only = str(MAPS[kind]([PUBLISHED]).script)
    dashed = '{"label":"Logistiknod, ungefärligt läge (cirka ±2 km)","colour":"#6a1b9a",' \
             '"shape":"ring-dashed"}'
    solid = '{"label":"Logistiknod","colour":"#6a1b9a","shape":"ring"}'
    assert dashed in mixed and solid in mixed
    assert dashed in estimated_only and solid not in estimated_only
    assert solid in published_only and dashed not in published_only
    # The marker's own label says it too (the popup and tooltip are built from it).
    assert "ungefärligt läge (cirka ±2 km)" in mixed.replace(dashed, "")
