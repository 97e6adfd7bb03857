"""Logistics nodes corrected (issue 15): the missing trafikplatser where E20/E18 is
motorway (Vretstorp, Glanshammar), Byrstatorp named for the road that ends there (rv 52;
rv 51 crosses at Sköllersta), the notes in Swedish; then every site's distances again.

Fresh databases already load app/geo/data/logistics-nodes.csv in 0003, so this only
changes what still reads as shipped before: a node an admin renamed or re-noted is left
as it is.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 03:40:00

"""
import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from geopy.distance import geodesic


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

NODES_CSV = Path(__file__).resolve().parents[2] / "app" / "geo" / "data" / "logistics-nodes.csv"
ACCURACY = {"published": "published", "estimate": "approximate"}
RENAMED = {"Byrstatorp (E20/rv50 x rv51/52)": "Byrstatorp (E20/rv50 x rv52)"}
OLD_NOTES = {  # name -> the note as shipped before
    "Örebro Airport (ESOE)": "Fourth largest cargo airport in Sweden; about 2 km south of E18",
    "Hallsberg Central": "Västra stambanan; Godsstråket genom Bergslagen; Mälarbanan",
    "Hallsbergs rangerbangård":
        "Largest marshalling yard in the Nordic countries; about 25000 wagons a month",
    "Hallsbergsterminalen":
        "Combi terminal next to the marshalling yard; E20 and rv 50; about 30000 TEU a year",
    "Törsjö (Örebro kombiterminal)": "Logistics area south of Örebro near the railway and rv 51",
    "Adolfsberg (E20/rv50 x E18)": "Junction 110",
    "Marieberg (E20/rv50 x rv51)": "Junction 109",
    "Byrstatorp (E20/rv50 x rv52)": "Junction 107",
    "Brändåsen (E20 x rv50)": "Junction 106",
    "Arboga (E18 x E20)": "Where E18 and E20 merge",
}
DISTANCES = {"dist_motorway_km": "motorway_junction", "dist_terminal_km": "intermodal_terminal",
             "dist_airport_km": "cargo_airport"}


def _shipped() -> list[dict]:
    with NODES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def upgrade():
    connection = op.get_bind()
    for old, new in RENAMED.items():
        connection.execute(sa.text("UPDATE logistics_nodes SET name = :new WHERE name = :old"),
                           {"old": old, "new": new})
    municipality_ids = dict(connection.execute(
        sa.text("SELECT name, id FROM municipalities")).all())
    existing = set(connection.execute(sa.text("SELECT name FROM logistics_nodes")).scalars())
    for row in _shipped():
        if row["name"] in existing:
            connection.execute(sa.text(
                "UPDATE logistics_nodes SET note = :note WHERE name = :name AND note = :old"),
                {"name": row["name"], "note": row["note"], "old": OLD_NOTES.get(row["name"])})
        else:
            connection.execute(sa.text(
                "INSERT INTO logistics_nodes (kind, name, municipality_id, lat, lon, accuracy, "
                "note, version) VALUES (:kind, :name, :municipality_id, :lat, :lon, :accuracy, "
                ":note, 1)"),
                {"kind": row["kind"], "name": row["name"],
                 "municipality_id": municipality_ids[row["municipality"]],
                 "lat": float(row["lat"]), "lon": float(row["lon"]),
                 "accuracy": ACCURACY[row["accuracy"]], "note": row["note"]})
    _recompute_distances(connection)


def _recompute_distances(connection) -> None:
    """Each site's straight-line distance to the nearest node of each kind (0.1 km), as
    app/sites/service.recompute_all_distances does."""
    nodes: dict[str, list[tuple[float, float]]] = {}
    for kind, lat, lon in connection.execute(sa.text("SELECT kind, lat, lon FROM logistics_nodes")):
        nodes.setdefault(kind, []).append((lat, lon))
    sites = connection.execute(sa.text("SELECT id, lat, lon FROM sites")).all()
    updates = []
    for site_id, lat, lon in sites:
        values = {"site_id": site_id}
        for column, kind in DISTANCES.items():
            found = [geodesic((lat, lon), node).km for node in nodes.get(kind, [])]
            values[column] = round(min(found), 1) if found else None
        updates.append(values)
    if updates:
        connection.execute(sa.text(
            "UPDATE sites SET dist_motorway_km = :dist_motorway_km, "
            "dist_terminal_km = :dist_terminal_km, dist_airport_km = :dist_airport_km "
            "WHERE id = :site_id"), updates)


def downgrade():
    connection = op.get_bind()
    connection.execute(sa.text("DELETE FROM logistics_nodes WHERE name IN "
                               "('Vretstorp (E20)', 'Glanshammar (E18/E20)')"))
    for old, new in RENAMED.items():
        connection.execute(sa.text("UPDATE logistics_nodes SET name = :old WHERE name = :new"),
                           {"old": old, "new": new})
    _recompute_distances(connection)
