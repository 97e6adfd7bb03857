"""Who sees and changes reservations: the access module of reservations.

The site's municipality decides on its land: its advisors reserve (from a selected
candidate), extend, cancel and convert, and its users see its reservations. The lead's
municipality sees the reservations of its own leads. Admins see those of leads that are
not confidential. Others see none (another municipality's land deal is its own).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.leads.models import Lead
from app.reservations.models import Reservation
from app.scope import scope_rule
from app.viewer import Viewer


@scope_rule(Reservation)
def reservation_rule(user: Viewer) -> ColumnElement[bool]:
    owned = [Lead.municipality_id == user.municipality_id]
    if user.is_admin:
        owned.append(Lead.confidential.is_(False))
    return sa.or_(Reservation.municipality_id == user.municipality_id,
                  sa.exists().where(Lead.id == Reservation.lead_id, sa.or_(*owned)))


def can_reserve(user: Viewer, site_municipality_id: int) -> bool:
    """Reserving, extending, cancelling, converting: the site's municipality's advisors."""
    return bool(user.is_authenticated and user.is_advisor
                and user.municipality_id == site_municipality_id)
