"""Which distances run to a logistics node whose position is only an estimate (the maps,
the site pages and the match explanations say those in whole km)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context

from app.extensions import db
from app.sites.models import LogisticsNode, NodeAccuracy, NodeKind

# The distance columns' node kinds, keyed as matching's criteria are.
DISTANCE_KINDS = {"motorway_km": NodeKind.MOTORWAY_JUNCTION,
                  "terminal_km": NodeKind.INTERMODAL_TERMINAL,
                  "airport_km": NodeKind.CARGO_AIRPORT}


def all_nodes() -> list[LogisticsNode]:
    """Every logistics node, by kind and name; read once per request (a page's map, its
    distances and their wording all ask)."""
    if has_request_context() and "logistics_nodes" in g:
        return g.logistics_nodes
    nodes = list(db.session.scalars(
        sa.select(LogisticsNode).order_by(LogisticsNode.kind, LogisticsNode.name)))
    if has_request_context():
        g.logistics_nodes = nodes
    return nodes


def estimated_distances() -> frozenset[str]:
    """The distances (DISTANCE_KINDS keys) whose nearest node may be one whose position is
    an estimate (about ±2 km): they are shown rounded to whole km."""
    kinds = {node.kind for node in all_nodes() if node.accuracy == NodeAccuracy.APPROXIMATE}
    return frozenset(key for key, kind in DISTANCE_KINDS.items() if kind in kinds)
