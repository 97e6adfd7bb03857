"""Municipalities (reference data created by migrations) and audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import Model, db


class Municipality(Model):
    """A partner municipality. The slug is its identifier everywhere."""

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(20), unique=True)
    code: Mapped[str] = mapped_column(sa.String(4), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    centre_lat: Mapped[float] = mapped_column(sa.Float)
    centre_lon: Mapped[float] = mapped_column(sa.Float)
    # The settings below are deferred (read where used, not with every municipality that
    # pages and joins load).
    # Gallring: years after a lead is closed (lost / won) until its personal data is due for
    # anonymisation (app/privacy/retention.py).
    retention_lost_years: Mapped[int] = mapped_column(default=3, server_default="3",
                                                      deferred=True)
    retention_won_years: Mapped[int] = mapped_column(default=10, server_default="10",
                                                     deferred=True)
    # The advisor who owns the municipality's web and API inquiries (app/intake), chosen
    # by the admin among its active advisors. use_alter: users refer to municipalities too.
    intake_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL", use_alter=True), deferred=True)

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"


class AuditEvent(Model):
    """Who did what to which object, with the values before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[int | None] = mapped_column(sa.Integer)
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="SET NULL")
    )
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    actor = db.relationship("User", lazy="joined")
