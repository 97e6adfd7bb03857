"""Who sees prospect packs: the access module of packs. The lead's own municipality makes,
sees and revokes them (its advisors make and revoke); nobody else — a pack is the owner's
word to its company. The company reaches its pack only by the secret link."""

from __future__ import annotations

from sqlalchemy.sql.elements import ColumnElement

from app.leads.access import can_edit
from app.leads.models import Lead
from app.packs.models import ProspectPack
from app.scope import scope_rule
from app.viewer import Viewer


@scope_rule(ProspectPack)
def pack_rule(user: Viewer) -> ColumnElement[bool]:
    return ProspectPack.municipality_id == user.municipality_id


def can_make_pack(user: Viewer, lead: Lead) -> bool:
    """Making and revoking: the advisors of the lead's municipality (its editors)."""
    return can_edit(user, lead)
