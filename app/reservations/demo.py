"""Demo reservations: each reserved demo site gets one, for a demo lead of its
municipality (a selected candidate), so the demo has no 'reserved' site without details."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.candidates.models import CandidateSite, CandidateStatus
from app.clock import local_today
from app.extensions import db
from app.leads.models import OPEN_STAGES, Lead
from app.reservations.models import Reservation, ReservationKind
from app.sites.models import Site, SiteStatus


def seed_reservations() -> list[str]:
    today = local_today()
    unreserved = list(db.session.scalars(
        sa.select(Site).where(Site.status == SiteStatus.RESERVED,
                              ~sa.exists().where(Reservation.site_id == Site.id))
        .order_by(Site.id)))
    created = 0
    for n, site in enumerate(unreserved):
        lead = db.session.scalar(
            sa.select(Lead).where(Lead.municipality_id == site.municipality_id,
                                  Lead.stage.in_(OPEN_STAGES))
            .order_by(Lead.id).offset(n % 3).limit(1))
        if lead is None:
            continue
        candidate = db.session.scalar(sa.select(CandidateSite).where(
            CandidateSite.lead_id == lead.id, CandidateSite.site_id == site.id))
        if candidate is None:
            candidate = CandidateSite(lead_id=lead.id, site_id=site.id,
                                      municipality_id=site.municipality_id,
                                      status=CandidateStatus.SELECTED, proposed_by_id=lead.owner_id)
            db.session.add(candidate)
            db.session.flush()
        # Ends spread over the coming year: some within the reminder milestones.
        start = today - timedelta(days=30 + 40 * n)
        db.session.add(Reservation(
            site_id=site.id, lead_id=lead.id, candidate_id=candidate.id,
            municipality_id=site.municipality_id,
            kind=ReservationKind.MARKANVISNING if n % 2 else ReservationKind.MARKRESERVATION,
            decided_on=start - timedelta(days=7), decided_by="Kommunstyrelsen (demo)",
            valid_from=start, valid_until=today + timedelta(days=20 + 55 * n),
            agreement_ref=f"KS {today.year}/{500 + n}", created_by_id=lead.owner_id))
        created += 1
    return [f"Demo reservations (fictional): {created} created"]
