"""Leads (establishment inquiries), the companies behind them, their contacts,
shares with partner municipalities, the activity timeline and follow-ups."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clock import utcnow
from app.core.models import Municipality
from app.db_types import enum_column
from app.extensions import Model


class Stage(enum.StrEnum):
    NEW = "new"
    QUALIFIED = "qualified"
    SITES_PROPOSED = "sites_proposed"
    SITE_VISIT = "site_visit"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"
    ON_HOLD = "on_hold"


OPEN_STAGES = (Stage.NEW, Stage.QUALIFIED, Stage.SITES_PROPOSED, Stage.SITE_VISIT,
               Stage.NEGOTIATION, Stage.ON_HOLD)
CLOSED_STAGES = (Stage.WON, Stage.LOST)


class Source(enum.StrEnum):
    DIRECT = "direct"
    BUSINESS_SWEDEN = "business_sweden"
    REGION = "region"
    BROKER = "broker"
    WEB_FORM = "web_form"
    FAIR = "fair"
    OTHER = "other"


class LostReason(enum.StrEnum):
    OTHER_REGION = "other_region"
    NO_SUITABLE_SITE = "no_suitable_site"
    GRID_CAPACITY = "grid_capacity"
    TIMELINE = "timeline"
    CANCELLED = "cancelled"
    OTHER = "other"


class ShareLevel(enum.StrEnum):
    ANONYMISED = "anonymised"
    FULL = "full"


class ShareBasis(enum.StrEnum):
    """Why a confidential matter may be passed on in full (OSL 12:2 or a secrecy review)."""

    CONSENT = "consent"
    SECRECY_REVIEW = "secrecy_review"


DEFAULT_SECRECY_BASIS = "OSL 31:16"


class ShareResponse(enum.StrEnum):
    INTERESTED = "interested"
    NO_SUITABLE_SITE = "no_suitable_site"


class ActivityKind(enum.StrEnum):
    NOTE = "note"
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    SITE_VISIT = "site_visit"
    STAGE_CHANGE = "stage_change"
    # Written by the product, never by a user: a share made, changed or withdrawn, and a
    # partner's answer (their municipality in `municipality_id`, details in `params`).
    SHARE_CHANGE = "share_change"
    PARTNER_ANSWER = "partner_answer"


# The kinds the product writes itself (a user records the others).
SYSTEM_ACTIVITY_KINDS = frozenset({ActivityKind.STAGE_CHANGE, ActivityKind.SHARE_CHANGE,
                                   ActivityKind.PARTNER_ANSWER})


STAGE_CHANGES = "kind = 'stage_change'"


def trigram_index(name: str, column: str) -> sa.Index:
    """A trigram index for ILIKE '%…%' search on PostgreSQL (a plain index elsewhere)."""
    return sa.Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})


class Company(Model):
    """A company in one municipality's register, behind one or more of its leads. The same
    organisation number may exist once per municipality; a company is seen in its own
    municipality and through that municipality's leads (scope rule in app.leads.companies)."""

    __tablename__ = "companies"
    __table_args__ = (
        trigram_index("ix_companies_name_key_trgm", "name_key"),
        trigram_index("ix_companies_orgnr_trgm", "orgnr"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_key: Mapped[str] = mapped_column(sa.String(200), index=True)
    orgnr: Mapped[str | None] = mapped_column(sa.String(11), index=True)
    country: Mapped[str] = mapped_column(sa.String(80), default="Sverige")
    sector: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # optimistic locking

    municipality: Mapped[Municipality] = relationship(lazy="selectin")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="company", order_by="Contact.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Company {self.id}>"


class Contact(Model):
    """A contact person at a company: personal data, part of the matter (lead) it was added
    on, and seen only where that lead's company shows (scope rule in app.leads.companies).
    `lead_id` is NULL only for contacts whose lead the data migration could not tell."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"),
                                            index=True)
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"),
                                                index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str | None] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the personal fields were erased (on request or by gallring, app/privacy).
    erased_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship(back_populates="contacts")


class Lead(Model):
    """An establishment inquiry, owned by one advisor of one municipality."""

    __tablename__ = "leads"
    __table_args__ = (
        sa.Index("ix_leads_municipality_stage", "municipality_id", "stage"),
        sa.Index("ix_leads_received_on_id", "received_on", "id"),
        # The kanban: each column's newest visible leads, with what a card shows of them
        # (service.PIPELINE_LEAD_COLUMNS), from the index alone.
        # A search's company branch (service.search_branches) reads its leads' visibility
        # and default sort key from the index alone (PostgreSQL; SQLite ignores INCLUDE).
        sa.Index("ix_leads_company_id", "company_id",
                 postgresql_include=["id", "municipality_id", "received_on"]),
        sa.Index("ix_leads_pipeline", "stage", "stage_changed_at", "id",
                 postgresql_include=["municipality_id", "codename", "version", "confidential",
                                     "owner_id", "company_id", "land_min_m2", "land_max_m2",
                                     "power_mw", "expected_jobs", "web_inquiry_new"]),
        # The list filtered by stage: visibility, count and the default sort from the index
        # alone (an index-only scan, once VACUUM has marked the pages all-visible).
        sa.Index("ix_leads_stage_municipality_received", "stage", "municipality_id",
                 "received_on", "id"),
        trigram_index("ix_leads_codename_trgm", "codename"),
        trigram_index("ix_leads_description_trgm", "description"),
        # Codenames are unique within a municipality (each is its own authority).
        sa.UniqueConstraint("municipality_id", "codename"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    codename: Mapped[str] = mapped_column(sa.String(80))
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="SET NULL")
    )
    registration_number: Mapped[str | None] = mapped_column(sa.String(40))
    source: Mapped[Source] = mapped_column(enum_column(Source, 20))
    received_on: Mapped[date] = mapped_column(sa.Date)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, 20), default=Stage.NEW)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"))
    sector: Mapped[str | None] = mapped_column(sa.String(120))
    confidential: Mapped[bool] = mapped_column(default=False)
    # The secrecy marking: its legal basis, who marked the lead and when (NULL when not marked).
    confidential_basis: Mapped[str | None] = mapped_column(sa.String(120))
    confidential_marked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    confidential_marked_at: Mapped[datetime | None]
    description: Mapped[str | None] = mapped_column(sa.String(5000))

    # Requirements, each marked "must" (True) or "nice to have" (False).
    land_min_m2: Mapped[int | None]
    land_max_m2: Mapped[int | None]
    land_must: Mapped[bool] = mapped_column(default=False)
    contiguous_m2: Mapped[int | None]  # the largest single piece of land needed
    contiguous_must: Mapped[bool] = mapped_column(default=False)
    building_m2: Mapped[int | None]
    building_must: Mapped[bool] = mapped_column(default=False)
    rail_siding: Mapped[bool | None]
    rail_must: Mapped[bool] = mapped_column(default=False)
    # A site where a siding is possible passes the rail criterion too.
    rail_accept_possible: Mapped[bool] = mapped_column(default=False)
    motorway_km_max: Mapped[float | None] = mapped_column(sa.Float)
    motorway_must: Mapped[bool] = mapped_column(default=False)
    terminal_km_max: Mapped[float | None] = mapped_column(sa.Float)
    terminal_must: Mapped[bool] = mapped_column(default=False)
    airport_km_max: Mapped[float | None] = mapped_column(sa.Float)
    airport_must: Mapped[bool] = mapped_column(default=False)
    power_mw: Mapped[float | None] = mapped_column(sa.Float)
    power_must: Mapped[bool] = mapped_column(default=False)
    # How long the company can wait for more power (else: until the desired start).
    power_lead_time_months: Mapped[int | None]
    water_sewage: Mapped[bool | None]
    water_must: Mapped[bool] = mapped_column(default=False)
    preferred_municipalities: Mapped[str | None] = mapped_column(sa.String(100))
    preferred_must: Mapped[bool] = mapped_column(default=False)
    desired_start: Mapped[date | None] = mapped_column(sa.Date)
    start_must: Mapped[bool] = mapped_column(default=False)
    price_max_sek_m2: Mapped[int | None]
    price_must: Mapped[bool] = mapped_column(default=False)

    expected_jobs: Mapped[int | None]
    investment_msek: Mapped[float | None] = mapped_column(sa.Float)
    lost_reason: Mapped[LostReason | None] = mapped_column(enum_column(LostReason, 20))
    lost_comment: Mapped[str | None] = mapped_column(sa.String(1000))
    decided_on: Mapped[date | None] = mapped_column(sa.Date)
    # Set when gallring removed the personal data of the closed lead (app/privacy/retention.py).
    anonymised_at: Mapped[datetime | None]

    # A web or API inquiry (app/intake): the reference its submitter got in the receipt,
    # marked "new web inquiry" until a user of its municipality opens it.
    inquiry_reference: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    web_inquiry_new: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The first activity by an advisor (time to first answer; app/workdays.py's rule).
    first_answered_at: Mapped[datetime | None]

    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Loaded with one extra query per list (selectin): a join would run before LIMIT.
    company: Mapped[Company | None] = relationship(lazy="selectin")
    owner: Mapped[User] = relationship(lazy="selectin", foreign_keys=[owner_id])
    confidential_marked_by: Mapped[User | None] = relationship(
        foreign_keys=[confidential_marked_by_id])
    municipality: Mapped[Municipality] = relationship(lazy="selectin")
    shares: Mapped[list[LeadShare]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadShare.id"
    )

    def __repr__(self) -> str:
        return f"<Lead {self.codename}>"

    @property
    def preferred_slugs(self) -> list[str]:
        return [s for s in (self.preferred_municipalities or "").split(",") if s]


class LeadShare(Model):
    """A lead shared with a partner municipality at a level, with the partner's response."""

    __tablename__ = "lead_shares"
    __table_args__ = (
        sa.UniqueConstraint("lead_id", "municipality_id"),
        sa.Index("ix_lead_shares_municipality_lead", "municipality_id", "lead_id"),
        # the start page's "shared with us, awaiting our answer", oldest first
        sa.Index("ix_lead_shares_municipality_created", "municipality_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"))
    level: Mapped[ShareLevel] = mapped_column(enum_column(ShareLevel, 16))
    response: Mapped[ShareResponse | None] = mapped_column(enum_column(ShareResponse, 20))
    response_comment: Mapped[str | None] = mapped_column(sa.String(1000))
    responded_at: Mapped[datetime | None]
    # The partner municipality's own diarienummer for the matter: shown to that
    # municipality's users only (app/leads/sharing.set_partner_registration_number).
    registration_number: Mapped[str | None] = mapped_column(sa.String(40))
    responded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    shared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A confidential lead shared at level full: the recorded basis (the company's consent,
    # OSL 12:2, or a secrecy review), who consented or decided, when, and why.
    basis: Mapped[ShareBasis | None] = mapped_column(enum_column(ShareBasis, 20))
    basis_by: Mapped[str | None] = mapped_column(sa.String(200))
    basis_on: Mapped[date | None] = mapped_column(sa.Date)
    basis_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    basis_recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="shares")
    municipality: Mapped[Municipality] = relationship(lazy="joined")
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])


class Activity(Model):
    """An entry of a lead's timeline. Plain text, always escaped on output."""

    __tablename__ = "activities"
    __table_args__ = (sa.Index("ix_activities_lead_at", "lead_id", "at"),
                      sa.Index("ix_activities_at_id", "at", "id"),
                      # the report's funnel: the skeden each lead has been changed to
                      sa.Index("ix_activities_stage_changes", "lead_id", "to_stage",
                               postgresql_where=sa.text(STAGE_CHANGES),
                               sqlite_where=sa.text(STAGE_CHANGES)))

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, 20))
    body: Mapped[str] = mapped_column(sa.String(5000), default="")
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage, 20))
    to_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage, 20))
    internal: Mapped[bool] = mapped_column(default=True)
    # What a share change or partner answer was (level, response), worded when shown.
    params: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")
    mentions: Mapped[list[ActivityMention]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityMention.id")


class ActivityMention(Model):
    """An @mention in an activity: a reference to the user (the text keeps "@Name"), who
    was among the activity's audience when it was written (app/leads/mentions.py). Read
    with its activity, under the activity's rules."""

    __tablename__ = "activity_mentions"
    __table_args__ = (sa.UniqueConstraint("activity_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)

    user: Mapped[User] = relationship(lazy="joined")


class FollowUp(Model):
    """A dated task on a lead for one user (who must be able to see the lead)."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        # lead_id included: overdue_count reads the lead ids from the index alone.
        sa.Index("ix_follow_ups_assignee_open", "assignee_id", "done_at", "due_on",
                 postgresql_include=["lead_id"]),
        sa.Index("ix_follow_ups_lead_open", "lead_id", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date] = mapped_column(sa.Date)
    due_time: Mapped[time | None] = mapped_column(sa.Time)  # a time of day, when it has one
    remind_at: Mapped[datetime | None]
    assignee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="SET NULL")
    )
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship()
    assignee: Mapped[User] = relationship(lazy="joined", foreign_keys=[assignee_id])


from app.deliveries import DeliveryMixin, register_delivery_model  # noqa: E402

# Reminders that fall due are found by time (every minute, see app.leads.reminders).
sa.Index("ix_follow_ups_remind_at", FollowUp.remind_at)


@register_delivery_model
class ReminderDelivery(DeliveryMixin, Model):
    """The reminder e-mail of a follow-up for one reminder time; unique per pair, so
    moving the reminder time makes a new delivery and the old one stays history."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (sa.UniqueConstraint("follow_up_id", "remind_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed by the unique constraint, whose first column it is
    follow_up_id: Mapped[int] = mapped_column(sa.ForeignKey("follow_ups.id", ondelete="CASCADE"))
    remind_at: Mapped[datetime]

    follow_up: Mapped[FollowUp] = relationship(lazy="joined")

    def describe(self) -> str:
        # no title: admins read this for every municipality, confidential leads included
        return (f"{self.follow_up.assignee.email} · follow-up {self.follow_up_id} · "
                f"{self.remind_at:%Y-%m-%d %H:%M} UTC")
