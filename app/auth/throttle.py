"""Login throttling that an attacker cannot turn into a lock-out of the owner.

Every failed login is a `LoginFailure` row (hashed submitted e-mail, whether an account
has it or not; client address; time), so the counts hold across server processes. Within
`LOGIN_FAILURE_WINDOW` (15 minutes) an attempt is refused with 429 and `Retry-After`,
before any password is checked, when

- its client address has `LOGIN_MAX_FAILURES_PER_ADDRESS` (50) failures, whatever the
  e-mails (guessing many accounts from one place), or
- its e-mail has `LOGIN_MAX_FAILURES` (10) failures from anywhere AND this address is one
  of those that failed for it (guessing one account, also from many places: once the
  e-mail is under attack, each further address gets a single try).

An address that has not failed for the e-mail is never held back by the e-mail's count,
so the owner still signs in from their own computer while someone else guesses. The
answer never depends on whether the account exists (no user is looked up before the
check), and no request sleeps. A successful login clears the failures of its own
(e-mail, address) pair.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from app.auth.models import LoginFailure, User
from app.extensions import db

ADDRESS_LENGTH = 64


def email_key(email: str) -> str:
    return hashlib.sha256(User.normalise_email(email).encode()).hexdigest()


def _address(address: str | None) -> str:
    return (address or "unknown")[:ADDRESS_LENGTH]


def retry_after(email: str, address: str | None, now: datetime) -> int | None:
    """Seconds until this e-mail may be tried again from this address; None when it may now."""
    config = current_app.config
    window = config["LOGIN_FAILURE_WINDOW"]
    key, address = email_key(email), _address(address)
    from_address = LoginFailure.address == address
    pair = sa.and_(LoginFailure.email_key == key, from_address)
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(from_address),
            sa.func.max(LoginFailure.failed_at).filter(from_address),
            sa.func.count().filter(LoginFailure.email_key == key),
            sa.func.count().filter(pair),
            sa.func.max(LoginFailure.failed_at).filter(pair),
        ).where(LoginFailure.failed_at > now - window,
                sa.or_(LoginFailure.email_key == key, from_address))
    ).one()
    address_count, address_last, email_count, pair_count, pair_last = row
    until = []
    if address_count >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        until.append(address_last)
    if email_count >= config["LOGIN_MAX_FAILURES"] and pair_count > 0:
        until.append(pair_last)
    if not until:
        return None
    return max(1, math.ceil((max(until) + window - now).total_seconds()))


def record_failure(email: str, address: str | None, now: datetime) -> None:
    """Count a failed login and forget failures older than the window (committed)."""
    db.session.execute(sa.delete(LoginFailure).where(
        LoginFailure.failed_at <= now - current_app.config["LOGIN_FAILURE_WINDOW"]))
    db.session.add(LoginFailure(email_key=email_key(email), address=_address(address),
                                failed_at=now))
    db.session.commit()


def clear_failures(email: str, address: str | None) -> None:
    """Forget the failures of this (e-mail, address) pair after a successful login."""
    db.session.execute(sa.delete(LoginFailure).where(
        LoginFailure.email_key == email_key(email), LoginFailure.address == _address(address)))
