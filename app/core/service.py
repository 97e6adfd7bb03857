"""Reference data look-ups."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.models import Municipality
from app.extensions import db


def municipality_by_slug(slug: str) -> Municipality | None:
    return db.session.scalar(sa.select(Municipality).where(Municipality.slug == slug))


def all_municipalities() -> list[Municipality]:
    return list(db.session.scalars(sa.select(Municipality).order_by(Municipality.name)))
