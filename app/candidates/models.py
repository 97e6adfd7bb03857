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
from app.leads.models import FollowUp, Lead
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


site_visit_candidates = sa.Table(
    "site_visit_candidates", Model.metadata,
    sa.Column("site_visit_id", sa.ForeignKey("site_visits.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("candidate_id", sa.ForeignKey("candidate_sites.id", ondelete="CASCADE"),
              primary_key=True),
)

site_visit_participants = sa.Table(
    "site_visit_participants", Model.metadata,
    sa.Column("site_visit_id", sa.ForeignKey("site_visits.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class SiteVisit(Model):
    """A planned visit to one or more candidate sites: a follow-up (date, time of day, the
    advisor responsible) with the participants; held when `held_at` is set."""

    __tablename__ = "site_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    followup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("follow_ups.id", ondelete="CASCADE"), unique=True)
    external_participants: Mapped[str | None] = mapped_column(sa.String(500))
    held_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    followup: Mapped[FollowUp] = relationship(lazy="joined")
    candidates: Mapped[list[CandidateSite]] = relationship(secondary=site_visit_candidates,
                                                           order_by="CandidateSite.id")
    participants: Mapped[list[User]] = relationship(secondary=site_visit_participants,
                                                    order_by="User.name")


class MatchSettings(Model):
    """The region's weights of the nice-to-have criteria (one row, id 1; app/candidates/
    weights.py): criterion key -> weight 0–10. Region-wide settings, no municipality's data."""

    __tablename__ = "match_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    weights: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
