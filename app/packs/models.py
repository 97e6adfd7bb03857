"""A prospect pack: chosen candidates of a lead, shown to its company by a secret link
(only the token's hash is stored), in one language, until it expires or is revoked;
every opening is logged."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.candidates.models import CandidateSite
from app.clock import utcnow
from app.extensions import Model
from app.leads.models import Lead

pack_candidates = sa.Table(
    "pack_candidates", Model.metadata,
    sa.Column("pack_id", sa.ForeignKey("prospect_packs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("candidate_id", sa.ForeignKey("candidate_sites.id", ondelete="CASCADE"),
              primary_key=True),
)


class ProspectPack(Model):
    """Owned by the lead's municipality (`municipality_id`; app/packs/access.py)."""

    __tablename__ = "prospect_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"),
                                         index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256, hex
    language: Mapped[str] = mapped_column(sa.String(2))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship()
    candidates: Mapped[list[CandidateSite]] = relationship(secondary=pack_candidates,
                                                           order_by="CandidateSite.id")
    openings: Mapped[list[PackOpening]] = relationship(order_by="PackOpening.opened_at",
                                                       back_populates="pack")

    def is_open(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class PackOpening(Model):
    """One opening of a pack: when, and the client's network truncated (no full address)."""

    __tablename__ = "pack_openings"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(sa.ForeignKey("prospect_packs.id", ondelete="CASCADE"),
                                         index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    network: Mapped[str | None] = mapped_column(sa.String(50))

    pack: Mapped[ProspectPack] = relationship(back_populates="openings")
