"""`flask seed-demo`: each municipality's intake advisor (its demo advisor), where none
is chosen yet."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.models import Municipality
from app.extensions import db
from app.intake.service import active_advisors


def seed_intake_advisors() -> list[str]:
    lines = []
    for municipality in db.session.scalars(sa.select(Municipality).where(
            Municipality.intake_user_id.is_(None)).order_by(Municipality.name)):
        advisors = active_advisors(municipality.id)
        if advisors:
            municipality.intake_user_id = advisors[0].id
            lines.append(f"Intake advisor of {municipality.name}: {advisors[0].email}")
    return lines
