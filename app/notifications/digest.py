"""The weekly digest's section of notifications its reader chose to get "in the weekly
digest": those made in the week before the digest's week, in their own wording (a lead by
its codename only), in one query for all readers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.digest.sections import DigestContext, DigestItem, register_section
from app.extensions import db
from app.mail.service import absolute_url
from app.notifications.models import Notification
from app.notifications.topics import Channel
from app.notifications.wording import text_of


def collect(users: Sequence[Any], context: DigestContext) -> dict[int, list[DigestItem]]:
    found: dict[int, list[DigestItem]] = defaultdict(list)
    for notification in db.session.scalars(sa.select(Notification).where(
            Notification.user_id.in_([user.id for user in users]),
            Notification.email == Channel.DIGEST,
            Notification.created_at >= context.week_start - timedelta(days=7),
            Notification.created_at < context.week_start)
            .order_by(Notification.created_at, Notification.id)):
        found[notification.user_id].append(DigestItem(
            text_of(notification),
            url=absolute_url(notification.url) if notification.url else None,
            lead_id=notification.lead_id))
    return found


def register() -> None:
    register_section("notifications", _l("Notifications of the past week"), collect,
                     order=5)
