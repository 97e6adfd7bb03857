"""A candidate site: a site proposed for a lead, and how far it got."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clock import utcnow
from app.db_types import enum_column
from app.extensions import Model
from app.leads.models import Lead
from app.sites.models import Site


class CandidateStatus(enum.StrEnum):
    PROPOSED = "proposed"
    VISITED = "visited"
    REJECTED = "rejected"  # with a reason
    SELECTED = "selected"


STATUS_LABELS = {
    CandidateStatus.PROPOSED: _l("Proposed"),
    CandidateStatus.VISITED: _l("Visited"),
    CandidateStatus.REJECTED: _l("Rejected"),
    CandidateStatus.SELECTED: _l("Selected"),
}


class CandidateSite(Model):
    """Owned twice over: the lead's municipality sees every candidate of its lead, the
    site's municipality (a partner the lead is shared with) only those on its own sites
    (app/candidates/access.py). `municipality_id` is the site's municipality, kept here
    so the rule needs no join."""

    __tablename__ = "candidate_sites"
    __table_args__ = (sa.UniqueConstraint("lead_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[CandidateStatus] = mapped_column(
        enum_column(CandidateStatus, 16), default=CandidateStatus.PROPOSED)
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship()
    site: Mapped[Site] = relationship(lazy="joined")
    proposed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CandidateSite lead={self.lead_id} site={self.site_id} {self.status}>"
