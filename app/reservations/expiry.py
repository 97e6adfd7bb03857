"""A reservation's end: reminders 60, 30 and 7 days before it, each once to the lead's
owner and the site's municipality's advisors (delivery claims: two scheduler processes
never send one twice), and on the day after, expiry (the site is offered again).

Registered as a reminder sender, so the scheduler runs it every minute (and
`flask reminders send-due`). A reservation made with less time left is reminded at the
latest milestone it has reached, once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit, scope
from app.auth.models import Role, User
from app.clock import local_today
from app.deliveries import Claim, Outcome, run_delivery
from app.extensions import db
from app.leads.models import Lead
from app.mail.service import absolute_url_for, send_to_user
from app.reservations.models import (
    ACTIVE_STATUSES,
    REMINDER_DAYS,
    Reservation,
    ReservationReminderDelivery,
    ReservationStatus,
)
from app.sites.models import Site, SiteStatus

TEMPLATE = "reservation_ending"


def milestone(reservation: Reservation, today: date) -> int | None:
    """The latest reminder milestone (days before the end) reached today, if any."""
    reached = [days for days in REMINDER_DAYS if today >= reservation.valid_until - timedelta(days)]
    return min(reached) if reached and today <= reservation.valid_until else None


def recipients(reservation: Reservation) -> list[User]:
    """The lead's owner and the site's municipality's active advisors."""
    lead_owner = sa.select(Lead.owner_id).where(Lead.id == reservation.lead_id).scalar_subquery()
    return list(db.session.scalars(sa.select(User).where(User.active.is_(True), sa.or_(
        User.id == lead_owner,
        sa.and_(User.role == Role.ADVISOR, User.municipality_id == reservation.municipality_id)))
        .order_by(User.id)))


def _message(reservation: Reservation, reader: User, today: date) -> dict[str, Any]:
    """What the reminder says: the site, the end date, the lead by codename (linked when
    the reader may see it) — never the company."""
    lead = scope.get_visible(reader, Lead, reservation.lead_id)
    return {"site": reservation.site.name, "valid_until": reservation.valid_until,
            "days_left": (reservation.valid_until - today).days,
            "codename": reservation.lead.codename,
            "link": absolute_url_for("leads.show", lead_id=lead.id) if lead is not None
            else absolute_url_for("sites.show", site_id=reservation.site_id)}


def send_reservation_reminders(now: datetime) -> int:
    """The registered sender: expire what has ended, then remind of what will."""
    today = local_today()
    expire_ended(today)
    sent = 0
    for reservation in db.session.scalars(sa.select(Reservation).where(
            Reservation.status.in_(ACTIVE_STATUSES),
            Reservation.valid_until <= today + timedelta(max(REMINDER_DAYS)))).all():
        days = milestone(reservation, today)
        if days is None:
            continue
        for user in recipients(reservation):
            # The claim is None when the reminder was sent, or another process sends it.
            key = {"reservation_id": reservation.id, "days_before": days, "user_id": user.id}

            def send(held: Claim, user: User = user, reservation: Reservation = reservation):
                context = _message(reservation, user, today)
                return send_to_user(user, TEMPLATE, lambda: _l(
                    "Reservation of %(site)s ends %(date)s", site=context["site"],
                    date=context["valid_until"].isoformat()), delivery=held, **context)

            if run_delivery(ReservationReminderDelivery, key, send, now) == Outcome.SENT:
                sent += 1
    return sent


def expire_ended(today: date) -> int:
    """Reservations whose last day has passed end; their sites are offered again."""
    ended = list(db.session.scalars(sa.select(Reservation).where(
        Reservation.status.in_(ACTIVE_STATUSES), Reservation.valid_until < today)))
    for reservation in ended:
        changed = cast(sa.CursorResult, db.session.execute(
            sa.update(Reservation).where(Reservation.id == reservation.id,
                                         Reservation.status.in_(ACTIVE_STATUSES))
            .values(status=ReservationStatus.EXPIRED, version=Reservation.version + 1)))
        if changed.rowcount != 1:  # another process expired it a moment ago
            continue
        db.session.execute(sa.update(Site).where(
            Site.id == reservation.site_id, Site.status == SiteStatus.RESERVED).values(
            status=SiteStatus.AVAILABLE, version=Site.version + 1))
        audit.record(None, "reservation.expired", "site", reservation.site_id,
                     after={"reservation": reservation.id,
                            "valid_until": reservation.valid_until.isoformat()},
                     municipality_id=reservation.municipality_id)
        db.session.commit()
    return len(ended)


def register() -> None:
    from app.reminders.service import register_reminder_sender

    register_reminder_sender("reservations", send_reservation_reminders)
