"""A reservation's end: notifications 60, 30 and 7 days before it, each once to the lead's
owner and the site's municipality's advisors (a claim per milestone: two scheduler
processes never make them twice; the e-mail follows each reader's choice, see
app/notifications), and on the day after, expiry (the site is offered again, the same
people are told).

Registered as a reminder sender, so the scheduler runs it every minute (and
`flask reminders send-due`). A reservation made with less time left is reminded at the
latest milestone it has reached, once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa

from app import audit, scope
from app.auth.models import Role, User
from app.clock import local_today
from app.deliveries import Outcome, claim, finish
from app.extensions import db
from app.leads.models import Lead
from app.notifications import service as notifications
from app.reservations.models import (
    ACTIVE_STATUSES,
    REMINDER_DAYS,
    Reservation,
    ReservationReminderDelivery,
    ReservationStatus,
)
from app.sites.models import Site, SiteStatus


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


def _notice(reservation: Reservation, today: date | None = None) -> dict[str, Any]:
    """What the notification says: the site, the end, the lead by codename — never the
    company."""
    params: dict[str, Any] = {"site": reservation.site.name,
                              "codename": reservation.lead.codename,
                              "valid_until": reservation.valid_until.isoformat()}
    if today is not None:
        params["days_left"] = (reservation.valid_until - today).days
    return params


def _notify(reservation: Reservation, users: list[User], kind: str,
            today: date | None = None) -> None:
    """One notification per user, each linked to what that reader may open: the lead
    when they may see it, else the site. Not committed."""
    for user in users:
        sees_lead = scope.get_visible(user, Lead, reservation.lead_id) is not None
        url = (f"/leads/{reservation.lead_id}" if sees_lead
               else f"/sites/{reservation.site_id}")
        notifications.notify([user], kind, _notice(reservation, today), url,
                             lead_id=reservation.lead_id)


def send_reservation_reminders(now: datetime) -> int:
    """The registered sender: expire what has ended, then remind of what will. A
    milestone's claim per recipient and its notification are committed together
    (finish), so each is made once however many scheduler processes run; the e-mails follow, each once."""
    today = local_today()
    expire_ended(today)
    reminded = 0
    for reservation in db.session.scalars(sa.select(Reservation).where(
            Reservation.status.in_(ACTIVE_STATUSES),
            Reservation.valid_until <= today + timedelta(max(REMINDER_DAYS)))).all():
        days = milestone(reservation, today)
        if days is None:
            continue
        for user in recipients(reservation):
            held = claim(ReservationReminderDelivery, {
                "reservation_id": reservation.id, "days_before": days, "user_id": user.id},
                now)
            if held is None:  # done already, or another process has it
                continue
            _notify(reservation, [user], "reservation_ending", today)
            finish(held, Outcome.SENT, now=now)
            reminded += 1
    notifications.send_queued()
    return reminded


def expire_ended(today: date) -> int:
    """Reservations whose last day has passed end; their sites are offered again and the
    recipients of its reminders are told."""
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
        _notify(reservation, recipients(reservation), "reservation_expired")
        db.session.commit()
    return len(ended)


def register() -> None:
    from app.reminders.service import register_reminder_sender

    register_reminder_sender("reservations", send_reservation_reminders)
