"""`flask seed-demo`: the current week's digests count as already delivered, so the
development scheduler's first start does not mail a week's digest to every demo user
(`make run` starts it; the mail would land in instance/outbox/). Next Monday's digests
go out as usual."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User
from app.clock import utcnow
from app.deliveries import DeliveryStatus
from app.digest.models import DigestDelivery
from app.digest.weeks import IsoWeek
from app.extensions import db


def seed_digests_delivered() -> list[str]:
    now = utcnow()
    week = str(IsoWeek.of(now))
    done = set(db.session.scalars(sa.select(DigestDelivery.user_id).where(
        DigestDelivery.iso_week == week)))
    users = [user_id for user_id in db.session.scalars(sa.select(User.id).where(
        User.active.is_(True))) if user_id not in done]
    db.session.add_all(DigestDelivery(user_id=user_id, iso_week=week,
                                      status=DeliveryStatus.SKIPPED, attempts=0,
                                      claimed_at=now, finished_at=now) for user_id in users)
    return [f"Digests of {week} counted as delivered for {len(users)} users (no mail on the "
            "scheduler's first start)."] if users else []
