"""The personal iCalendar feed of a user's open follow-ups (for Outlook and phones).

The feed URL carries a random secret (256 bits) and needs no login: the secret
is the credential, so only its SHA-256 is stored and the URL is shown once,
when it is made. Renewing replaces the hash (the old URL answers 404) and is
audited. The feed lists the user's open follow-ups on leads the user may see
now (`app.scope`), by title and codename only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event

from app import audit, scope
from app.auth.models import User
from app.calendar_feed.models import CalendarFeed
from app.clock import utcnow
from app.extensions import db
from app.input_rules import strip_forbidden
from app.leads.models import FollowUp, Lead
from app.mail.service import absolute_url_for

FEED_LIMIT = 1000  # follow-ups per feed, earliest due first
USE_RECORDED_EVERY = timedelta(hours=1)  # calendars poll often; do not write on every poll


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def renew_secret(user: User) -> str:
    """A new feed secret for `user` (the old URL stops working); returns the raw secret once."""
    secret = secrets.token_urlsafe(32)
    feed = feed_of(user)
    renewed = feed is not None
    if feed is None:
        feed = CalendarFeed(user_id=user.id, secret_hash=_hash(secret))
        db.session.add(feed)
    feed.secret_hash = _hash(secret)
    feed.created_at = utcnow()
    feed.last_used_at = None
    audit.record(user, "calendar_feed.renewed" if renewed else "calendar_feed.created", "user",
                 user.id, municipality_id=user.municipality_id)
    db.session.commit()
    return secret


def feed_url(secret: str) -> str:
    return absolute_url_for("calendar_feed.feed", secret=secret)


def user_for_secret(secret: str) -> User | None:
    """The active user whose feed has this secret, else None."""
    if not secret or len(secret) > 100:
        return None
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.secret_hash == _hash(secret)))
    if feed is None or not feed.user.is_active:
        return None
    now = utcnow()
    if feed.last_used_at is None or feed.last_used_at <= now - USE_RECORDED_EVERY:
        feed.last_used_at = now
        db.session.commit()
    return feed.user


def open_follow_ups(user: User) -> list[tuple[FollowUp, str]]:
    """(follow-up, codename) of the user's open follow-ups on leads they may see."""
    rows = db.session.execute(
        sa.select(FollowUp, Lead.codename)
        .join(Lead, Lead.id == FollowUp.lead_id)
        .where(FollowUp.assignee_id == user.id, FollowUp.done_at.is_(None),
               scope.visible_filter(user, Lead))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(FEED_LIMIT)
    )
    return [(follow_up, codename) for follow_up, codename in rows]


def calendar_for(user: User) -> bytes:
    """The iCalendar document: one all-day event per open follow-up on its due date,
    with an alarm at its reminder time."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "etablera"
    now = utcnow()
    with force_locale(user.locale or "sv"):
        calendar = Calendar()
        calendar.add("prodid", "-//Logistikregionen//Etablera//SV")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Etablera follow-ups"))
        for follow_up, codename in open_follow_ups(user):
            calendar.add_component(_event(follow_up, codename, host, now))
    return calendar.to_ical()


def feed_text(text: str) -> str:
    """Text as the feed may carry it: without control characters (a calendar app may
    refuse the whole feed for one) or bidirectional overrides (the input rules' own
    mechanical fix, app.input_rules.strip_forbidden), on one line."""
    return strip_forbidden(text)


def _event(follow_up: FollowUp, codename: str, host: str, now: Any) -> Event:
    link = absolute_url_for("leads.show", lead_id=follow_up.lead_id)
    event = Event()
    event.add("uid", f"follow-up-{follow_up.id}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", follow_up.due_on)
    if follow_up.due_on < date.max:  # without DTEND an all-day event lasts its one day
        event.add("dtend", follow_up.due_on + timedelta(days=1))
    event.add("summary", feed_text(f"{follow_up.title} · {codename}"))
    event.add("description", link)
    event.add("url", link)
    event.add("transp", "TRANSPARENT")
    if follow_up.remind_at is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", feed_text(follow_up.title))
        # An absolute trigger must say so (RFC 5545 3.8.6.3); strict parsers refuse it bare.
        alarm.add("trigger", follow_up.remind_at, parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
    return event
