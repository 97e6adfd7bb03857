"""A reservation of a site for a lead's company, and its life: active, extended, then
expired, converted (to a land transfer) or cancelled."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db_types import enum_column
from app.deliveries import DeliveryMixin, register_delivery_model
from app.extensions import Model
from app.leads.models import Lead
from app.sites.models import Site


class ReservationKind(enum.StrEnum):
    MARKRESERVATION = "markreservation"  # an exclusive right to negotiate
    MARKANVISNING = "markanvisning"  # land allocated for a project (SFS 2014:899)


class ReservationStatus(enum.StrEnum):
    ACTIVE = "active"
    EXTENDED = "extended"  # active, with a later end than first decided
    EXPIRED = "expired"
    CONVERTED = "converted"  # into a land transfer
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (ReservationStatus.ACTIVE, ReservationStatus.EXTENDED)

KIND_LABELS = {ReservationKind.MARKRESERVATION: _l("Markreservation"),
               ReservationKind.MARKANVISNING: _l("Markanvisning")}
STATUS_LABELS = {
    ReservationStatus.ACTIVE: _l("Active"), ReservationStatus.EXTENDED: _l("Extended"),
    ReservationStatus.EXPIRED: _l("Expired"), ReservationStatus.CONVERTED: _l("Converted"),
    ReservationStatus.CANCELLED: _l("Cancelled"),
}


class Reservation(Model):
    """Owned by the site's municipality (`municipality_id`, which decides on its land);
    the lead's municipality sees the reservations of its leads (app/reservations/access.py).
    A site has at most one active reservation: a partial unique index, so two concurrent
    reservations cannot both be stored."""

    __tablename__ = "reservations"
    __table_args__ = (
        sa.Index("uq_reservations_active_site", "site_id", unique=True,
                 postgresql_where=sa.text("status IN ('active', 'extended')"),
                 sqlite_where=sa.text("status IN ('active', 'extended')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"),
                                         index=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"),
                                         index=True)
    candidate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("candidate_sites.id", ondelete="SET NULL"))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    kind: Mapped[ReservationKind] = mapped_column(enum_column(ReservationKind, 20))
    decided_on: Mapped[date] = mapped_column(sa.Date)
    decided_by: Mapped[str] = mapped_column(sa.String(200))
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_until: Mapped[date] = mapped_column(sa.Date)
    agreement_ref: Mapped[str | None] = mapped_column(sa.String(60))  # diarienummer
    fee_sek: Mapped[int | None]
    status: Mapped[ReservationStatus] = mapped_column(
        enum_column(ReservationStatus, 16), default=ReservationStatus.ACTIVE)
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    site: Mapped[Site] = relationship(lazy="joined")
    lead: Mapped[Lead] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def __repr__(self) -> str:
        return f"<Reservation site={self.site_id} lead={self.lead_id} {self.status}>"


# Days before a reservation ends when the lead's owner and the site's municipality's
# advisors are reminded, each once.
REMINDER_DAYS = (60, 30, 7)


@register_delivery_model
class ReservationReminderDelivery(DeliveryMixin, Model):
    """One reminder of a reservation's coming end, per milestone and recipient: its claim
    is finished in the commit that makes the recipient's notification (app/reservations/
    expiry.py); the notification's e-mail has a delivery of its own."""

    __tablename__ = "reservation_reminders"
    __table_args__ = (sa.UniqueConstraint("reservation_id", "days_before", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reservations.id", ondelete="CASCADE"))
    days_before: Mapped[int]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))

    def describe(self) -> str:
        # no site or codename: admins read this for every municipality
        return f"user {self.user_id} · reservation {self.reservation_id} · {self.days_before} days"
