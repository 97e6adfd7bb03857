"""Which matters a report counts: the one criterion of every figure (secrecy in figures).

A user's own municipality's matters count in full, confidential ones included. Of other
municipalities' matters a figure counts only those the user may see (app.scope: shared
with the user's municipality; for the admin every non-confidential one), and never a
confidential one, not even one shared with the user's municipality: the difference of
two figures (two filters, two periods) can then never single out another municipality's
confidential matter. Candidates, site visits and reservations count when their matter
counts and their own scope rule lets the user read them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.leads.models import Lead, Source
from app.scope import visible_filter
from app.viewer import Viewer


def counted_leads(user: Viewer) -> ColumnElement[bool]:
    """SQL: the leads every figure of `user` counts (see the module docstring)."""
    visible = visible_filter(user, Lead)
    if user is None or not user.is_authenticated or not user.is_active:
        return visible  # false: nobody signed in counts nothing
    own = Lead.municipality_id == user.municipality_id
    return sa.and_(visible, sa.or_(own, Lead.confidential.is_(False)))


@dataclass(frozen=True)
class LeadSelection:
    """The report's filters that choose leads (besides the period): the owning
    municipality, the sector and the source. None: all."""

    municipality_id: int | None = None
    sector: str | None = None
    source: Source | None = None

    def criteria(self, user: Viewer) -> list[ColumnElement[bool]]:
        """The counted leads (`counted_leads`) matching the selection."""
        found = [counted_leads(user)]
        if self.municipality_id is not None:
            found.append(Lead.municipality_id == self.municipality_id)
        if self.sector:
            found.append(Lead.sector == self.sector)
        if self.source is not None:
            found.append(Lead.source == self.source)
        return found
