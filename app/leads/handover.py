"""Handing over a person's leads and open follow-ups to another advisor of the same
municipality.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit, scope
from app.auth.models import User
from app.clock import utcnow
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads.access import can_hand_over
from app.leads.errors import PermissionDenied
from app.leads.models import FollowUp, Lead
from app.notifications import service as notifications
from app.viewer import Viewer


def handover_people(actor: Viewer) -> list[User]:
    """Whose leads the actor may hand over, by name: an advisor, the people of their own
    municipality; the admin, everyone (but only the leads the admin may see)."""
    statement = sa.select(User).order_by(User.name)
    if not actor.is_admin:
        statement = statement.where(User.municipality_id == actor.municipality_id)
    return list(db.session.scalars(statement))


def handover(actor: Viewer, from_user: User | None, to_user: User | None) -> dict[str, int]:
    """Move the leads of `from_user` that the actor may see, and the open follow-ups on
    them, to another advisor of the same municipality. Advisors hand over within their own
    municipality; the admin's handover covers only leads the admin may see (another
    municipality's confidential leads stay, uncounted: secrecy holds for the admin too)."""
    if not can_hand_over(actor):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    if from_user is None or (not actor.is_admin
                             and from_user.municipality_id != actor.municipality_id):
        errors["from_user"] = [str(_l("Unknown user."))]
    if to_user is None or not to_user.active or not to_user.is_advisor:
        errors["to_user"] = [str(_l("Choose an active advisor."))]
    elif from_user is not None and from_user.id == to_user.id:
        errors["to_user"] = [str(_l("Choose two different users."))]
    elif from_user is not None and to_user.municipality_id != from_user.municipality_id:
        errors["to_user"] = [str(_l("The new owner must work in the same municipality."))]
    if errors or from_user is None or to_user is None:
        raise FieldErrors(errors)
    visible = scope.visible_filter(actor, Lead)
    lead_ids = list(db.session.scalars(
        sa.select(Lead.id).where(Lead.owner_id == from_user.id, visible).order_by(Lead.id)))
    followup_ids = list(db.session.scalars(
        sa.select(FollowUp.id).join(Lead, Lead.id == FollowUp.lead_id)
        .where(FollowUp.assignee_id == from_user.id, FollowUp.done_at.is_(None), visible)
        .order_by(FollowUp.id)))
    if lead_ids:
        db.session.execute(sa.update(Lead).where(Lead.id.in_(lead_ids))
                           .values(owner_id=to_user.id, version=Lead.version + 1,
                                   updated_at=utcnow())
                           .execution_options(synchronize_session=False))
    if followup_ids:
        db.session.execute(sa.update(FollowUp).where(FollowUp.id.in_(followup_ids))
                           .values(assignee_id=to_user.id)
                           .execution_options(synchronize_session=False))
    audit.record(actor, "leads.handover", "user", from_user.id,
                 before={"owner_id": from_user.id},
                 after={"owner_id": to_user.id, "lead_ids": lead_ids,
                        "followup_ids": followup_ids},
                 municipality_id=from_user.municipality_id)
    if lead_ids or followup_ids:
        notifications.notify([to_user], "lead_handed_over", {
            "actor": notifications.name_of(actor), "from": from_user.name, "leads": len(lead_ids),
            "followups": len(followup_ids)}, f"/leads?owner={to_user.id}", actor=actor)
    db.session.commit()
    db.session.expire_all()
    return {"leads": len(lead_ids), "followups": len(followup_ids)}


def handover_by_ids(actor: Viewer, from_user_id: int | None, to_user_id: int | None) -> dict[str, int]:
    """`handover` between the users with these ids (an unknown id is a field error)."""
    return handover(actor, db.session.get(User, from_user_id) if from_user_id else None,
                    db.session.get(User, to_user_id) if to_user_id else None)
