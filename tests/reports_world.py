"""The small known world of the report tests (tests/test_reports_*.py), counted by hand.

Hallsberg's advisor counts its own five matters (H1–H5, confidential H2 included), and
of Arboga's only A1 (not confidential, shared with Hallsberg): A2 is not shared, A3 and
A4 are confidential (A3 even shared with Hallsberg in full). Kumla's K1 is not shared.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.candidates.models import CandidateSite, CandidateStatus, SiteVisit
from app.clock import local_zone
from app.extensions import db
from app.leads.inquiries import record_first_answer
from app.leads.models import (
    Activity,
    ActivityKind,
    FollowUp,
    Lead,
    LeadShare,
    LostReason,
    ShareLevel,
    Source,
    Stage,
)
from app.reservations.models import Reservation, ReservationKind, ReservationStatus
from app.sites.models import DetaljplanStatus, RailSiding, Readiness, SiteKind, SiteStatus
from tests.factories import make_site, municipality

TODAY = date(2026, 7, 1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=local_zone()).astimezone(UTC)


def lead(owner, codename: str, received_on: date, stage: Stage = Stage.NEW,
         changed_at: datetime | None = None, **values) -> Lead:
    values.setdefault("source", Source.DIRECT)
    made = Lead(codename=codename, received_on=received_on, stage=stage,
                stage_changed_at=changed_at or local(received_on.year, received_on.month,
                                                     received_on.day, 12),
                owner_id=owner.id, municipality_id=owner.municipality_id,
                created_at=local(received_on.year, received_on.month, received_on.day, 8),
                **values)
    db.session.add(made)
    db.session.flush()
    return made


def activity(made: Lead, author, at: datetime, kind: ActivityKind = ActivityKind.NOTE,
             to_stage: Stage | None = None) -> None:
    """A timeline entry, noted as the lead's first answer as the product does
    (app.leads.inquiries.record_first_answer: an advisor of the lead's municipality)."""
    db.session.add(Activity(lead_id=made.id, kind=kind, body="", to_stage=to_stage, at=at,
                            author_id=author.id, municipality_id=author.municipality_id))
    record_first_answer(author, made, at)


def won(decided_on: date, jobs: int, investment: float, land_min: int | None) -> dict:
    return {"stage": Stage.WON, "decided_on": decided_on, "expected_jobs": jobs,
            "investment_msek": investment, "land_min_m2": land_min}


def share(made: Lead, slug: str) -> None:
    db.session.add(LeadShare(lead_id=made.id, municipality_id=municipality(slug).id,
                             level=ShareLevel.FULL))


def build(users) -> dict:
    h, a, k = users["hallsberg"], users["arboga"], users["kumla"]
    leads = {}
    leads["H1"] = lead(h, "H1", date(2026, 1, 15), sector="Lager",
                       **won(date(2026, 6, 10), 120, 300.0, 50_000))
    leads["H2"] = lead(h, "H2", date(2026, 3, 2), sector="Lager", confidential=True,
                       source=Source.BUSINESS_SWEDEN, **won(date(2026, 12, 31), 40, 50.0, 20_000))
    # closed 2026-12-31 23:30 UTC: 00:30 on New Year's Day in Stockholm, so in 2027
    leads["H3"] = lead(h, "H3", date(2026, 2, 10), Stage.LOST, utc(2026, 12, 31, 23, 30),
                       sector="Tillverkning", source=Source.WEB_FORM,
                       lost_reason=LostReason.GRID_CAPACITY, lost_comment="Effekt saknas")
    # changed 22:30 UTC on April 1st: April 2nd in Stockholm (90 days before TODAY)
    leads["H4"] = lead(h, "H4", date(2025, 12, 31), Stage.NEW, utc(2026, 4, 1, 22, 30))
    leads["H5"] = lead(h, "H5", date(2026, 4, 1), Stage.QUALIFIED, utc(2026, 5, 2, 10))
    leads["A1"] = lead(a, "A1", date(2026, 5, 5), sector="Lager", source=Source.REGION,
                       **won(date(2026, 9, 1), 150, 400.0, 100_000))
    leads["A2"] = lead(a, "A2", date(2026, 5, 6), **won(date(2026, 9, 2), 999, 9.0, 9_000))
    leads["A3"] = lead(a, "A3", date(2026, 7, 1), confidential=True,
                       **won(date(2026, 9, 3), 777, 7.0, 7_000))
    leads["A4"] = lead(a, "A4", date(2026, 7, 2), confidential=True,
                       **won(date(2026, 9, 4), 555, 5.0, 5_000))
    leads["K1"] = lead(k, "K1", date(2026, 8, 3))
    share(leads["A1"], "hallsberg")
    share(leads["A3"], "hallsberg")

    # First answers (an advisor of the owning municipality): H1 in time (Thu → due by the
    # end of Monday), H2 late (Mon → due by the end of Wednesday; its stage change on
    # Thursday is the answer), H3 never (only the admin, of Örebro, changed its skede),
    # H5 in time over Easter (Good Friday, Easter Monday), A1 in time half an hour before
    # its deadline.
    activity(leads["H1"], h, local(2026, 1, 19, 9))
    activity(leads["H2"], h, local(2026, 3, 5, 9), ActivityKind.STAGE_CHANGE, Stage.QUALIFIED)
    activity(leads["H2"], h, local(2026, 3, 5, 10))
    activity(leads["H3"], users["admin"], local(2026, 3, 1, 10), ActivityKind.STAGE_CHANGE,
             Stage.SITES_PROPOSED)
    activity(leads["H3"], users["admin"], utc(2026, 12, 31, 23, 30), ActivityKind.STAGE_CHANGE,
             Stage.LOST)
    activity(leads["H5"], h, local(2026, 4, 7, 16))
    activity(leads["A1"], a, local(2026, 5, 7, 23, 30))
    for key in ("A2", "A3", "A4"):
        activity(leads[key], a, local(2026, 7, 3, 9))

    # Sites: Hallsberg's sold plot (chosen by H1, no price: incomplete) and its available
    # complete plot; Kumla's planned land with a building; Arboga's withdrawn plot.
    sold = make_site("hallsberg", name="Rala 1", land_area_m2=80_000, status=SiteStatus.SOLD,
                     lat=59.07, lon=15.11)
    make_site("hallsberg", name="Rala 2", land_area_m2=40_000, readiness=Readiness.READY,
              detaljplan_status=DetaljplanStatus.LAGA_KRAFT, rail_siding=RailSiding.EXISTING,
              power_mw=10.0, price_sek_m2=450, lat=59.06, lon=15.12)
    kumla_site = make_site("kumla", name="Via 3", kind=SiteKind.LAND_WITH_BUILDING,
                           land_area_m2=30_000, building_area_m2=10_000,
                           readiness=Readiness.PLANNED)
    make_site("arboga", name="Arboga 4", status=SiteStatus.WITHDRAWN, lat=59.39, lon=15.84)

    # H1: two candidates (one selected), a visit held, a reservation converted; H5: a
    # reservation that expired in March; A3 (confidential): a candidate and a reservation
    # on Hallsberg's land, which Hallsberg may read but no figure counts.
    chosen = candidate(leads["H1"], sold, CandidateStatus.SELECTED, local(2026, 4, 10, 9))
    candidate(leads["H1"], kumla_site, CandidateStatus.REJECTED, local(2026, 4, 11, 9))
    candidate(leads["A3"], sold, CandidateStatus.PROPOSED, local(2026, 7, 2, 9))
    visit(leads["H1"], h, local(2026, 5, 20, 10), [chosen])
    reservation(leads["H1"], sold, date(2026, 5, 1), ReservationStatus.CONVERTED,
                local(2026, 6, 5, 10), chosen)
    reservation(leads["H5"], kumla_site, date(2025, 11, 1), ReservationStatus.EXPIRED,
                local(2026, 3, 2, 10), valid_until=date(2026, 3, 1))
    reservation(leads["A3"], sold, date(2026, 8, 1), ReservationStatus.CANCELLED,
                local(2026, 8, 2, 10))
    db.session.commit()
    return leads


def candidate(made: Lead, site, status: CandidateStatus, at: datetime) -> CandidateSite:
    found = CandidateSite(lead_id=made.id, site_id=site.id, municipality_id=site.municipality_id,
                          status=status, proposed_at=at, updated_at=at)
    db.session.add(found)
    db.session.flush()
    return found


def visit(made: Lead, who, held_at: datetime, candidates: list) -> None:
    followup = FollowUp(lead_id=made.id, title="Platsbesök", due_on=held_at.date(),
                        assignee_id=who.id)
    db.session.add(followup)
    db.session.flush()
    db.session.add(SiteVisit(lead_id=made.id, followup_id=followup.id, held_at=held_at,
                             candidates=candidates, created_at=held_at - timedelta(days=7)))


def reservation(made: Lead, site, decided_on: date, status: ReservationStatus,
                updated_at: datetime, chosen: CandidateSite | None = None,
                valid_until: date | None = None) -> None:
    db.session.add(Reservation(
        site_id=site.id, lead_id=made.id, candidate_id=chosen.id if chosen else None,
        municipality_id=site.municipality_id, kind=ReservationKind.MARKRESERVATION,
        decided_on=decided_on, decided_by="KS", valid_from=decided_on,
        valid_until=valid_until or decided_on + timedelta(days=300), status=status,
        created_at=updated_at, updated_at=updated_at))
