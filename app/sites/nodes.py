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


def estimated_distances() -> frozenset[str]:
    """The distances (DISTANCE_KINDS keys) whose nearest node may be one whose position is
    an estimate (about ±2 km): they are shown rounded to whole km. Read once per request."""
    if has_request_context() and "estimated_distances" in g:
        return g.estimated_distances
    kinds = set(db.session.scalars(sa.select(LogisticsNode.kind).distinct().where(
        LogisticsNode.accuracy == NodeAccuracy.APPROXIMATE)))
    found = frozenset(key for key, kind in DISTANCE_KINDS.items() if kind in kinds)
    if has_request_context():
        g.estimated_distances = found
    return found
