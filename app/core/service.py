"""Reference data look-ups."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context

from app.core.models import Municipality
from app.extensions import db


def municipality_by_slug(slug: str) -> Municipality | None:
    return db.session.scalar(sa.select(Municipality).where(Municipality.slug == slug))


def all_municipalities() -> list[Municipality]:
    return list(db.session.scalars(sa.select(Municipality).order_by(Municipality.name)))


def municipality_names() -> dict[str, str]:
    """Slug → name of the region's municipalities, in their order in the table (the order
    preferences are stored and listed in). Read once per request: the table is the one
    list of municipalities, no module keeps its own."""
    if has_request_context():
        if "municipality_names" not in g:
            g.municipality_names = _names()
        return g.municipality_names
    return _names()


def _names() -> dict[str, str]:
    rows = db.session.execute(
        sa.select(Municipality.slug, Municipality.name).order_by(Municipality.id))
    return {slug: name for slug, name in rows}


def municipality_slugs() -> tuple[str, ...]:
    return tuple(municipality_names())
