"""Who may see sites and logistics nodes (rules registered with app.scope).

The sites are the region's joint offer, so every logged-in user sees every site that is
not withdrawn. A withdrawn site stays visible to those who may edit it: advisors of its
municipality and admins. (Editing is decided by app.sites.service.can_edit_site: those
same advisors and admins; viewers never.)
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.scope import scope_rule
from app.sites.models import LogisticsNode, Site, SiteStatus
from app.viewer import Viewer


@scope_rule(Site)
def site_rule(user: Viewer) -> ColumnElement[bool]:
    offered = Site.status != SiteStatus.WITHDRAWN
    if user.is_admin:
        return sa.true()
    if user.is_advisor:
        return sa.or_(offered, Site.municipality_id == user.municipality_id)
    return offered


@scope_rule(LogisticsNode)
def logistics_node_rule(user: Viewer) -> ColumnElement[bool]:
    """Logistics nodes are public reference data: every logged-in user sees them."""
    return sa.true()
