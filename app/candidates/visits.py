"""Site visits: planned for one or more candidate sites as a follow-up with a time of day,
marked held afterwards (a timeline entry, the candidates visited, the stage offered)."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit, scope
from app.auth.models import User
from app.candidates.access import can_decide
from app.candidates.models import CandidateSite, CandidateStatus, SiteVisit
from app.clock import utcnow
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads import followups
from app.leads.errors import PermissionDenied
from app.leads.models import Activity, ActivityKind, Lead, Stage
from app.viewer import Viewer

# Stages before the visit: after a held visit the lead page offers the stage "Platsbesök".
BEFORE_VISIT = (Stage.NEW, Stage.QUALIFIED, Stage.SITES_PROPOSED)


def participant_choices(lead: Lead) -> list[tuple[int, str]]:
    """Active users of the owning municipality and of the partners, by name (each is
    checked against the lead's scope rule when chosen)."""
    municipalities = {lead.municipality_id} | {share.municipality_id for share in lead.shares}
    return [(user.id, user.name) for user in db.session.scalars(
        sa.select(User).where(User.municipality_id.in_(municipalities), User.active.is_(True))
        .order_by(User.name, User.id))]


def plan_visit(user: Viewer, lead: Lead, candidate_ids: list[int], due_on: date | None,
               due_time: time | None, assignee_id: int | None, participant_ids: list[int],
               external: str | None) -> SiteVisit:
    if not can_decide(user, lead):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    candidates = list(db.session.scalars(
        scope.select_visible(user, CandidateSite).where(
            CandidateSite.lead_id == lead.id, CandidateSite.id.in_(candidate_ids or [0]),
            CandidateSite.status != CandidateStatus.REJECTED)))
    if not candidates or len(candidates) != len(set(candidate_ids)):
        errors["candidates"] = [str(_l("Choose one or more candidate sites of the lead."))]
    if due_time is None:
        errors["due_time"] = [str(_l("This field is required."))]
    participants = list(db.session.scalars(sa.select(User).where(
        User.id.in_(participant_ids or [0]), User.active.is_(True))))
    if len(participants) != len(set(participant_ids)) or any(
            scope.get_visible(person, Lead, lead.id) is None for person in participants):
        errors["participants"] = [str(_l("Every participant must be able to see the lead."))]
    names = ", ".join(candidate.site.name for candidate in candidates)
    try:
        followup = followups.new_followup(user, lead, _("Site visit: %(sites)s", sites=names)[:200],
                                          due_on, assignee_id, due_time=due_time)
    except FieldErrors as invalid:
        errors |= invalid.fields
    if errors:
        raise FieldErrors(errors)
    visit = SiteVisit(lead_id=lead.id, followup=followup, candidates=candidates,
                      participants=participants, external_participants=external or None)
    db.session.add(visit)
    db.session.flush()
    audit.record(user, "site_visit.planned", "lead", lead.id, after={
        "visit": visit.id, "candidates": [c.id for c in candidates], "due_on": due_on,
        "due_time": due_time.isoformat() if due_time else None,
        "participants": [p.id for p in participants], "external": visit.external_participants},
        municipality_id=lead.municipality_id)
    db.session.commit()
    return visit


def visits_of(user: Viewer, lead: Lead) -> list[SiteVisit]:
    return list(db.session.scalars(
        scope.select_visible(user, SiteVisit).where(SiteVisit.lead_id == lead.id)
        .order_by(SiteVisit.id)))


def get_visit_or_404(user: Viewer, visit_id: int) -> SiteVisit:
    return scope.get_visible_or_404(user, SiteVisit, visit_id)


def mark_held(user: Viewer, visit: SiteVisit) -> Activity:
    """The visit took place: its follow-up is done, a site-visit entry goes into the
    timeline and the proposed candidates become visited."""
    lead = db.session.get_one(Lead, visit.lead_id)
    if not can_decide(user, lead):
        raise PermissionDenied()
    if visit.held_at is not None:
        raise FieldErrors({"visit": [str(_l("The visit is already marked as held."))]})
    now = utcnow()
    visit.held_at = now
    visit.followup.done_at = visit.followup.done_at or now
    for candidate in visit.candidates:
        if candidate.status == CandidateStatus.PROPOSED:
            candidate.status = CandidateStatus.VISITED
            candidate.version += 1
            candidate.updated_at = now
    people = [p.name for p in visit.participants] + (
        [visit.external_participants] if visit.external_participants else [])
    body = _("Site visit held: %(sites)s.", sites=", ".join(c.site.name for c in visit.candidates))
    if people:
        body += " " + _("Participants: %(people)s.", people=", ".join(people))
    activity = Activity(lead_id=lead.id, kind=ActivityKind.SITE_VISIT, body=body[:5000],
                        internal=True, author_id=user.id, municipality_id=user.municipality_id)
    db.session.add(activity)
    audit.record(user, "site_visit.held", "lead", lead.id,
                 after={"visit": visit.id, "candidates": [c.id for c in visit.candidates]},
                 municipality_id=lead.municipality_id)
    db.session.commit()
    return activity


def offers_visit_stage(user: Viewer, lead: Lead) -> bool:
    """After a held visit, while the lead is still before that stage."""
    if not (can_decide(user, lead) and lead.stage in BEFORE_VISIT):
        return False
    return db.session.scalar(sa.select(SiteVisit.id).where(
        SiteVisit.lead_id == lead.id, SiteVisit.held_at.is_not(None)).limit(1)) is not None
