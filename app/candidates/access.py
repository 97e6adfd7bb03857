"""Who sees and changes which candidate sites: the access module of candidates.

The lead's own municipality sees every candidate of its lead (as it sees the lead); a
partner the lead is shared with sees only the candidates on its own municipality's sites,
so one partner never learns which land another partner offered. Admins see the
candidates of leads that are not confidential.

Proposing: the owning municipality's advisors propose any site; a partner's advisors
propose their own municipality's sites (that is how partners answer with land).
Changing a candidate's status is the owning municipality's decision.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.candidates.models import CandidateSite, SiteVisit
from app.leads.access import can_contribute, can_edit
from app.leads.models import Lead
from app.scope import scope_rule, visible_filter
from app.viewer import Viewer


@scope_rule(CandidateSite)
def candidate_rule(user: Viewer) -> ColumnElement[bool]:
    owned = [Lead.municipality_id == user.municipality_id]
    if user.is_admin:
        owned.append(Lead.confidential.is_(False))
    # EXISTS, correlated on the candidate's lead: a lookup by primary key per candidate,
    # where IN (SELECT ...) hashed every lead of the municipality first (1 ms on the bench).
    of_owned_lead = sa.exists().where(Lead.id == CandidateSite.lead_id, sa.or_(*owned))
    on_own_site_of_visible_lead = sa.and_(
        CandidateSite.municipality_id == user.municipality_id,
        sa.exists().where(Lead.id == CandidateSite.lead_id, visible_filter(user, Lead)))
    return sa.or_(of_owned_lead, on_own_site_of_visible_lead)


@scope_rule(SiteVisit)
def site_visit_rule(user: Viewer) -> ColumnElement[bool]:
    """The owning municipality's visits (and the admin's, of non-confidential leads). A
    partner's participant learns of a visit from its follow-up list when assigned, not here:
    a rule reads only the scope key, never who the user is (app.scope)."""
    owned = [Lead.municipality_id == user.municipality_id]
    if user.is_admin:
        owned.append(Lead.confidential.is_(False))
    return sa.exists().where(Lead.id == SiteVisit.lead_id, sa.or_(*owned))


def can_propose(user: Viewer, lead: Lead, site_municipality_id: int) -> bool:
    """Whether the user may propose a site of that municipality for the lead."""
    if can_edit(user, lead):
        return True
    return can_contribute(user, lead) and site_municipality_id == user.municipality_id


def can_decide(user: Viewer, lead: Lead) -> bool:
    """Visited, selected or rejected: the owning municipality's advisors decide."""
    return can_edit(user, lead)


def can_edit_note(user: Viewer, candidate: CandidateSite) -> bool:
    return can_decide(user, candidate.lead) or (
        user.is_advisor and candidate.municipality_id == user.municipality_id
        and can_contribute(user, candidate.lead))
