"""The weekly digest: who gets one, what it says, and sending it exactly once.

`send_weekly_digests(week)` is what the scheduler (hourly), `flask digest send`
and cron all call. Our tables decide what is due: every active user who has
not opted out and has no digest delivery for the week that is finished or in
flight. A scheduler that was down catches up when it returns (the whole
current week long); failed deliveries are retried with back-off.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.clock import utcnow
from app.deliveries import Claim, DeliveryStatus, Outcome, claimable, run_delivery
from app.digest.models import DigestDelivery
from app.digest.sections import DigestContext, DigestItem, DigestSection, sections
from app.digest.weeks import IsoWeek, digest_due_at
from app.extensions import db
from app.mail.service import absolute_url_for, deliver, render_for_user

TEMPLATE = "digest"


@dataclass
class Digest:
    user: User
    context: DigestContext
    sections: list[tuple[DigestSection, Sequence[DigestItem]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(items for _section, items in self.sections)

    @property
    def lead_ids(self) -> set[int]:
        """The leads the digest lists (the mail log records them)."""
        return {item.lead_id for _section, items in self.sections for item in items
                if item.lead_id is not None}


@dataclass
class DigestReport:
    """What one run did, by e-mail address."""

    week: IsoWeek
    due_at: datetime
    not_due: bool = False
    dry_run: bool = False
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_claimed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.not_due:
            return f"{self.week}: not due until {self.due_at:%Y-%m-%d %H:%M} UTC; nothing sent."
        verb = "would send" if self.dry_run else "sent"
        return (f"{self.week}: {verb} {len(self.sent)}, failed {len(self.failed)}, "
                f"nothing to report {len(self.skipped)}, "
                f"handled elsewhere {len(self.not_claimed)}.")


def digest_context(week: IsoWeek, now: datetime) -> DigestContext:
    start, end = week.bounds()
    stale = now - timedelta(days=current_app.config["STALE_LEAD_DAYS"])
    return DigestContext(week=week, now=now, week_start=start, week_end=end, stale_before=stale)


def recipients(week: IsoWeek, now: datetime, email: str | None = None) -> list[User]:
    """Active users who have not opted out and whose digest for `week` is neither
    done nor held by another process (absent, or failed and due for a retry)."""
    statement = (
        sa.select(User)
        .outerjoin(
            DigestDelivery,
            sa.and_(DigestDelivery.user_id == User.id, DigestDelivery.iso_week == str(week)),
        )
        .where(
            User.active.is_(True),
            User.digest_opt_out.is_(False),
            sa.or_(DigestDelivery.id.is_(None), claimable(DigestDelivery, now)),
        )
        .order_by(User.id)
    )
    if email:
        statement = statement.where(User.email == User.normalise_email(email))
    return list(db.session.scalars(statement).unique())


def compose_digests(users: Sequence[User], context: DigestContext) -> dict[int, Digest]:
    """Every user's digest: each section collects for all users of one language at once."""
    digests = {user.id: Digest(user, context) for user in users}
    by_locale: dict[str, list[User]] = defaultdict(list)
    for user in users:
        by_locale[user.locale or "sv"].append(user)
    for locale, group in by_locale.items():
        with force_locale(locale):
            for section in sections():
                found = section.collect(group, context)
                for user in group:
                    items = list(found.get(user.id, ()))
                    if items:
                        digests[user.id].sections.append((section, items))
    return digests


def compose_digest(user: User, week: IsoWeek | None = None, now: datetime | None = None) -> Digest:
    """One user's digest for `week` (default: the current week), e.g. for a preview."""
    now = now or utcnow()
    week = week or IsoWeek.of(now)
    return compose_digests([user], digest_context(week, now))[user.id]


def digest_message(digest: Digest) -> EmailMessage:
    week = digest.context.week
    return render_for_user(
        digest.user,
        TEMPLATE,
        lambda: _l("Your week in Etablera, week %(week)d", week=week.week),
        digest=digest,
        week=week,
        profile_url=absolute_url_for("auth.profile"),
    )


def send_weekly_digests(
    week: IsoWeek | None = None,
    *,
    email: str | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> DigestReport:
    """Send `week`'s digests (default: the current local week) that are due and not
    yet delivered. Nothing before DIGEST_DAY at DIGEST_TIME of that week."""
    now = now or utcnow()
    week = week or IsoWeek.of(now)
    report = DigestReport(week=week, due_at=digest_due_at(week), dry_run=dry_run)
    if now < report.due_at:
        report.not_due = True
        return report
    users = recipients(week, now, email)
    digests = compose_digests(users, digest_context(week, now))
    skip_empty = current_app.config["DIGEST_SKIP_EMPTY"]
    for user in users:
        digest = digests[user.id]
        address = user.email
        empty = digest.is_empty and skip_empty
        if dry_run:
            (report.skipped if empty else report.sent).append(address)
            continue
        outcome = run_delivery(
            DigestDelivery,
            {"user_id": user.id, "iso_week": str(week)},
            _sender(digest, empty),
            now,
        )
        {
            Outcome.SENT: report.sent,
            Outcome.FAILED: report.failed,
            Outcome.SKIPPED: report.skipped,
            Outcome.NOT_CLAIMED: report.not_claimed,
        }[outcome].append(address)
    return report


def _sender(digest: Digest, empty: bool):
    def send(held: Claim):
        if empty:
            return None
        return deliver(digest_message(digest), kind=TEMPLATE, locale=digest.user.locale,
                       user=digest.user, leads=digest.lead_ids, delivery=held)

    return send


def send_due_digests(now: datetime | None = None) -> DigestReport:
    """The scheduler's hourly job: the current week's digests, once they are due."""
    return send_weekly_digests(now=now or utcnow())


def overdue_digest_count(now: datetime | None = None) -> int:
    """Recipients of the current week still without a sent (or empty) digest,
    DIGEST_OVERDUE_AFTER past the due time. 0 before then."""
    now = now or utcnow()
    week = IsoWeek.of(now)
    if now < digest_due_at(week) + current_app.config["DIGEST_OVERDUE_AFTER"]:
        return 0
    done = sa.select(DigestDelivery.user_id).where(
        DigestDelivery.iso_week == str(week),
        DigestDelivery.status.in_([DeliveryStatus.SENT, DeliveryStatus.SKIPPED]),
    )
    return db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.active.is_(True), User.digest_opt_out.is_(False), User.id.not_in(done)
        )
    ) or 0
