"""Who may see and do what with a lead: the one access module of the pipeline.

Secrecy between municipalities (OSL 8:1, 31:16) is decided here and nowhere else:
- visibility, in its SQL form (the scope rules of leads, companies and contacts,
  registered with app.scope) and, for a lead already loaded, through `share_levels`;
  a company belongs to one municipality's register and shows only through that
  municipality's leads; a contact only where the lead it was added on shows;
- the share level a user sees a lead at: `owner` (own municipality), `full` or
  `anonymised` (`share_levels`, `level_of`, and in SQL `full_level_filter`,
  `shared_level_column`), and whether the company and contacts show (`shows_company`);
- what a user may do: edit, contribute, respond, hand over;
- the audience key: users with the same key see the same leads (`audience_key`), for the
  digest and every per-process cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.leads.models import Company, Contact, Lead, LeadShare, ShareLevel
from app.scope import municipality_matter_rule, scope_key, scope_rule
from app.viewer import Viewer

OWNER = "owner"
FULL = "full"
ANONYMISED = "anonymised"


@scope_rule(Lead)
def _lead_rule(user: Viewer) -> ColumnElement[bool]:
    # "a LeadShare of this lead with the user's municipality exists", written as IN so
    # that PostgreSQL evaluates the shares once (hashed) instead of once per lead.
    shared = Lead.id.in_(
        sa.select(LeadShare.lead_id).where(LeadShare.municipality_id == user.municipality_id)
    )
    return municipality_matter_rule(Lead, user, shared_with=shared)


@scope_rule(Company)
def company_rule(user: Viewer) -> sa.ColumnElement[bool]:
    """Own municipality's companies, and those a lead of the company's own municipality
    shows the user at full level."""
    through_lead = sa.exists().where(Lead.company_id == Company.id,
                                     Lead.municipality_id == Company.municipality_id,
                                     full_level_filter(user))
    return sa.or_(Company.municipality_id == user.municipality_id, through_lead)


@scope_rule(Contact)
def contact_rule(user: Viewer) -> sa.ColumnElement[bool]:
    """Contacts of leads the user sees at full level; a contact whose lead is unknown
    (lead_id NULL, from the data migration) only in its company's municipality."""
    of_visible_lead = Contact.lead_id.in_(sa.select(Lead.id).where(full_level_filter(user)))
    unknown_lead = sa.and_(Contact.lead_id.is_(None), Contact.company_id.in_(
        sa.select(Company.id).where(Company.municipality_id == user.municipality_id)))
    return sa.or_(of_visible_lead, unknown_lead)


def audience_key(user: Viewer) -> tuple:
    """Users with the same key see the same leads at the same levels (the scope rule and
    the share levels read nothing else of a user)."""
    return scope_key(user)




def full_level_filter(user: Viewer) -> sa.ColumnElement[bool]:
    """Leads the user sees at full level: own municipality's, admins' non-confidential
    ones, and those shared with the user's municipality at level full."""
    if user is None or not user.is_authenticated or not user.is_active:
        return sa.false()
    shared_full = Lead.id.in_(sa.select(LeadShare.lead_id).where(
        LeadShare.municipality_id == user.municipality_id, LeadShare.level == ShareLevel.FULL))
    criteria = [Lead.municipality_id == user.municipality_id, shared_full]
    if user.is_admin:
        criteria.append(Lead.confidential.is_(False))
    return sa.or_(*criteria)


class LeadFacts(Protocol):
    """What the share level of a loaded lead depends on: a Lead, or a row or digest
    reference carrying these columns."""

    @property
    def id(self) -> int: ...

    @property
    def municipality_id(self) -> int: ...

    @property
    def confidential(self) -> bool: ...


def share_levels(user: Viewer, leads: Sequence[LeadFacts]) -> dict[int, str]:
    """owner | full | anonymised for each lead the user may see (one query for all)."""
    levels: dict[int, str] = {}
    others = []
    for lead in leads:
        level = level_of(user, lead, None)
        if level is not None:
            levels[lead.id] = level
        else:
            others.append(lead.id)
    if others:
        rows = db.session.execute(
            sa.select(LeadShare.lead_id, LeadShare.level).where(
                LeadShare.lead_id.in_(others), LeadShare.municipality_id == user.municipality_id
            )
        )
        for lead_id, level in rows:
            levels[lead_id] = FULL if level == ShareLevel.FULL else ANONYMISED
    return levels


def level_of(user: Viewer, lead: LeadFacts, shared: ShareLevel | str | None) -> str | None:
    """share_levels for one lead (or card row) whose share with the user's municipality
    is already known (`shared_level_column`); None: not visible at any level."""
    if lead.municipality_id == user.municipality_id:
        return OWNER
    if user.is_admin and not lead.confidential:
        return FULL
    if shared is None:
        return None
    return FULL if shared == ShareLevel.FULL else ANONYMISED


def shared_level_column(user: Viewer, lead_id: Any = Lead.id,
                        municipality_id: Any = Lead.municipality_id) -> sa.ColumnElement:
    """The level at which the enclosing query's lead (`lead_id`, `municipality_id`: its
    columns) is shared with the user's municipality (NULL: not shared), for level_of
    without a query of its own. The user's own municipality's leads are not looked up
    (level_of decides those by municipality): most of a page's leads, most of the kanban's
    cards."""
    shared = (sa.select(LeadShare.level).where(
        LeadShare.lead_id == lead_id, LeadShare.municipality_id == user.municipality_id)
        .scalar_subquery())
    return sa.case((municipality_id == user.municipality_id, sa.null()), else_=shared)


def share_level_for(user: Viewer, lead: Lead) -> str | None:
    """What this user may see of this lead: owner, full, anonymised (None: nothing)."""
    return share_levels(user, [lead]).get(lead.id)


def shows_company(level: str | None) -> bool:
    return level in (OWNER, FULL)


def shows_company_in_mail(lead: Any, level: str | None) -> bool:
    """An e-mail (digest, notification) names the company only where the product shows it
    and the lead is not confidential: confidential leads go by codename only, also to
    their owners, since e-mail travels further than the product."""
    return shows_company(level) and not lead.confidential


def can_edit(user: Viewer, lead: Lead) -> bool:
    """Advisors of the owning municipality edit a lead; nobody else does."""
    return bool(user.is_authenticated and user.is_advisor
                and lead.municipality_id == user.municipality_id)


def is_partner(user: Viewer, lead: Lead) -> bool:
    return lead.municipality_id != user.municipality_id and any(
        share.municipality_id == user.municipality_id for share in lead.shares
    )


def can_contribute(user: Viewer, lead: Lead) -> bool:
    """Owners' advisors and partners' advisors add activities and follow-ups."""
    return bool(user.is_authenticated and user.is_advisor
                and (can_edit(user, lead) or is_partner(user, lead)))


def can_respond(user: Viewer, lead: Lead) -> bool:
    return bool(user.is_authenticated and user.is_advisor and is_partner(user, lead))


def can_hand_over(actor: Viewer) -> bool:
    """Admins and advisors hand over leads; viewers do not."""
    return bool(actor.is_authenticated and actor.is_active and (actor.is_admin or actor.is_advisor))
