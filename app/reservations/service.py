"""The rules of reservations: made from a selected candidate by an advisor of the site's
municipality; at most one active per site (the period of the one in force is named when
a second is refused); the site's status follows (reserved while active, available when
cancelled, sold when converted to a land transfer); everything audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import audit, scope
from app.candidates.models import CandidateSite, CandidateStatus
from app.clock import utcnow
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads.errors import PermissionDenied
from app.locking import update_versioned
from app.reservations.access import can_reserve
from app.reservations.models import (
    ACTIVE_STATUSES,
    KIND_LABELS,
    Reservation,
    ReservationKind,
    ReservationStatus,
)
from app.sites.models import Site, SiteStatus
from app.viewer import Viewer

FIELDS = ("kind", "decided_on", "decided_by", "valid_from", "valid_until", "agreement_ref",
          "fee_sek", "note")


def active_reservation(site_id: int) -> Reservation | None:
    """The site's reservation in force, if any (a fact about the site, whoever asks)."""
    return db.session.scalar(sa.select(Reservation).where(
        Reservation.site_id == site_id, Reservation.status.in_(ACTIVE_STATUSES)))


def visible_reservation_of_site(user: Viewer, site_id: int) -> Reservation | None:
    """The site's reservation in force, if the user may see it (its holder is a lead)."""
    return db.session.scalar(scope.select_visible(user, Reservation).where(
        Reservation.site_id == site_id, Reservation.status.in_(ACTIVE_STATUSES)))


def offers_established_stage(user: Viewer, lead: Any) -> bool:
    """A reservation of the lead became a land transfer, and the lead is not yet won:
    its owner is offered the stage Etablerad."""
    from app.leads.access import can_edit
    from app.leads.models import Stage

    if lead.stage == Stage.WON or not can_edit(user, lead):
        return False
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Reservation.lead_id == lead.id, Reservation.status == ReservationStatus.CONVERTED))))


def reserved_without_details(municipality_id: int | None = None) -> list[Site]:
    """Sites marked reserved by hand, with no reservation in force behind them (data from
    before reservations existed): whoever decides must record the reservation."""
    in_force = sa.select(Reservation.id).where(Reservation.site_id == Site.id,
                                               Reservation.status.in_(ACTIVE_STATUSES))
    statement = sa.select(Site).where(Site.status == SiteStatus.RESERVED, ~sa.exists(in_force))
    if municipality_id is not None:
        statement = statement.where(Site.municipality_id == municipality_id)
    return list(db.session.scalars(statement.order_by(Site.name, Site.id)))


def reservations_of_lead(user: Viewer, lead_id: int) -> list[Reservation]:
    return list(db.session.scalars(
        scope.select_visible(user, Reservation).where(Reservation.lead_id == lead_id)
        .order_by(Reservation.valid_from, Reservation.id)))


def get_reservation_or_404(user: Viewer, reservation_id: int) -> Reservation:
    return scope.get_visible_or_404(user, Reservation, reservation_id)


def _taken(existing: Reservation) -> FieldErrors:
    return FieldErrors({"valid_from": [str(_l(
        "The site is already reserved (%(kind)s) from %(start)s to %(end)s.",
        kind=KIND_LABELS[existing.kind], start=format_date(existing.valid_from),
        end=format_date(existing.valid_until)))]})


def _check(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if values.get("kind") not in ReservationKind._value2member_map_:
        errors["kind"] = [str(_l("Not a valid choice."))]
    for name in ("decided_on", "valid_from", "valid_until"):
        if not isinstance(values.get(name), date):
            errors[name] = [str(_l("This field is required."))]
    if not (values.get("decided_by") or "").strip():
        errors["decided_by"] = [str(_l("Say who decided (the board or officer)."))]
    start, end = values.get("valid_from"), values.get("valid_until")
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        errors["valid_until"] = [str(_l("The reservation must end after it starts."))]
    if errors:
        raise FieldErrors(errors)


def _set_site_status(site: Site, status: SiteStatus) -> None:
    """The site follows its reservation; the version moves, so an edit form opened before
    sees the change instead of overwriting it."""
    db.session.execute(sa.update(Site).where(Site.id == site.id).values(
        status=status, version=Site.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.refresh(site)


def reserve(user: Viewer, candidate: CandidateSite, values: dict[str, Any]) -> Reservation:
    """Reserve the candidate's site for its lead."""
    site = candidate.site
    if not can_reserve(user, site.municipality_id):
        raise PermissionDenied()
    if candidate.status != CandidateStatus.SELECTED:
        raise FieldErrors({"candidate": [str(_l(
            "Only a selected candidate can be reserved: select it first."))]})
    _check(values)
    existing = active_reservation(site.id)
    if existing is not None:
        raise _taken(existing)
    reservation = Reservation(
        site_id=site.id, lead_id=candidate.lead_id, candidate_id=candidate.id,
        municipality_id=site.municipality_id, created_by_id=user.id,
        **{name: values.get(name) for name in FIELDS})
    reservation.kind = ReservationKind(values["kind"])
    db.session.add(reservation)
    try:
        db.session.flush()
    except IntegrityError:  # another reservation of the site was stored a moment ago
        db.session.rollback()
        existing = active_reservation(site.id)
        if existing is None:
            raise
        raise _taken(existing) from None
    _set_site_status(site, SiteStatus.RESERVED)
    audit.record(user, "reservation.created", "site", site.id,
                 after=audit.jsonable({"reservation": reservation.id,
                                       "lead": reservation.lead_id,
                                       **{name: values.get(name) for name in FIELDS}}),
                 municipality_id=site.municipality_id)
    db.session.commit()
    return reservation


ACTIONS = ("extend", "cancel", "convert")


def change(user: Viewer, reservation: Reservation, submitted_version: int | None,
           action: str, valid_until: date | None = None) -> Reservation:
    """Extend (a later end), cancel (the site is offered again) or convert to a land
    transfer (the site is sold) a reservation in force, under optimistic locking."""
    if not can_reserve(user, reservation.municipality_id):
        raise PermissionDenied()
    if action not in ACTIONS:
        raise FieldErrors({"action": [str(_l("Not a valid choice."))]})
    if not reservation.is_active:
        raise FieldErrors({"action": [str(_l("This reservation is no longer in force."))]})
    changes: dict[str, Any] = {"updated_at": utcnow()}
    if action == "extend":
        if valid_until is None or valid_until <= reservation.valid_until:
            raise FieldErrors({"valid_until": [str(_l(
                "An extension ends later than %(end)s.",
                end=format_date(reservation.valid_until)))]})
        changes |= {"valid_until": valid_until, "status": ReservationStatus.EXTENDED}
    else:
        changes["status"] = (ReservationStatus.CANCELLED if action == "cancel"
                             else ReservationStatus.CONVERTED)
    before = {"status": reservation.status, "valid_until": reservation.valid_until}
    update_versioned(reservation, submitted_version, changes)
    if action != "extend":
        _set_site_status(reservation.site, SiteStatus.AVAILABLE if action == "cancel"
                         else SiteStatus.SOLD)
    audit.record(user, f"reservation.{action}", "site", reservation.site_id,
                 before=audit.jsonable(before),
                 after=audit.jsonable({"reservation": reservation.id,
                                       "status": reservation.status,
                                       "valid_until": reservation.valid_until}),
                 municipality_id=reservation.municipality_id)
    db.session.commit()
    return reservation
