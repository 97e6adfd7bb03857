"""Logins, throttling, sessions, password tokens, invitations, accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup

from app import audit
from app.auth import throttle
from app.auth.models import ApiToken, Role, User, password_matches
from app.caching import ProcessCache, table_revision
from app.calendar_feed.models import CalendarFeed
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db
from app.forms import option_tags
from app.leads.models import OPEN_STAGES, FollowUp, Lead
from app.mail.models import MailMessage
from app.mail.redaction import Secret
from app.mail.service import absolute_url, send_to_user

RESET_SALT = "etablera-password-reset"
INVITATION_SALT = "etablera-invitation"


class LoginThrottled(Exception):
    """Too many failed logins for this e-mail from this address, or from this address
    (app.auth.throttle); the same for known and unknown e-mails."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class AccountChangeRefused(Exception):
    """An account change the rules forbid; `message` (translated) says why. Nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TokenPurpose:
    salt: str
    max_age_setting: str


RESET = TokenPurpose(RESET_SALT, "PASSWORD_RESET_MAX_AGE")
INVITATION = TokenPurpose(INVITATION_SALT, "INVITATION_MAX_AGE")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == User.normalise_email(email)))


def authenticate(email: str, password: str, address: str | None = None,
                 now: datetime | None = None) -> User | None:
    """The user when e-mail and password match and the account may log in, else None.

    Raises LoginThrottled, before looking anything up, while the (e-mail, address) is
    throttled (app.auth.throttle), also when this failure reaches the limit. Unknown
    e-mails verify a dummy hash, so each attempt costs the same.
    """
    now = now or utcnow()
    wait = throttle.retry_after(email, address, now)
    if wait is not None:
        raise LoginThrottled(wait)
    user = find_user_by_email(email)
    matches = password_matches(user.password_hash if user else None, password)
    if user is not None and matches and user.is_active:
        user.last_login_at = now
        throttle.clear_failures(email, address)
        db.session.commit()
        return user
    throttle.record_failure(email, address, now)
    wait = throttle.retry_after(email, address, now)
    if wait is not None:
        raise LoginThrottled(wait)
    return None


def _serializer(purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose.salt)


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a token works only once."""
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def make_password_token(user: User, purpose: TokenPurpose = RESET) -> str:
    return _serializer(purpose).dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def user_for_password_token(token: str, purpose: TokenPurpose = RESET) -> User | None:
    """The user a valid, unexpired, unused token belongs to; None otherwise."""
    max_age = current_app.config[purpose.max_age_setting]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or not user.active or payload.get("fp") != _password_fingerprint(user):
        return None
    return user


def set_password(user: User, password: str, actor: User | None = None) -> None:
    """Set a new password (reset link or invitation); every session of the user ends."""
    user.set_password(password)
    audit.record(actor or user, "user.password_set", "user", user.id,
                 municipality_id=user.municipality_id)
    _end_sessions(user, actor or user, "password_set")
    db.session.commit()


def change_password(user: User, current: str, new: str, address: str | None = None,
                    now: datetime | None = None) -> bool:
    """The user's own change of password; False (nothing changed) for a wrong current one.

    A wrong current password counts as a failed login of the user's e-mail from this
    address, so a borrowed session cannot guess it (LoginThrottled). Every session of the
    user ends; the caller logs the current one in again with the new login id.
    """
    now = now or utcnow()
    wait = throttle.retry_after(user.email, address, now)
    if wait is not None:
        raise LoginThrottled(wait)
    if not user.check_password(current):
        throttle.record_failure(user.email, address, now)
        return False
    user.set_password(new)
    audit.record(user, "user.password_changed", "user", user.id,
                 municipality_id=user.municipality_id)
    _end_sessions(user, user, "password_changed")
    db.session.commit()
    return True


def sign_out_everywhere(user: User) -> None:
    """End every session and remember-me cookie of the user ("Logga ut överallt")."""
    _end_sessions(user, user, "signed_out_everywhere")
    db.session.commit()


def _end_sessions(user: User, actor: User | None, reason: str) -> None:
    """Raise the session generation: every login id issued before stops working."""
    user.session_generation = (user.session_generation or 0) + 1
    audit.record(actor, "user.sessions_ended", "user", user.id, after={"reason": reason},
                 municipality_id=user.municipality_id)


def send_password_reset(email: str) -> MailMessage | None:
    """E-mail a reset link when the address belongs to an active user; None otherwise.

    The returned log entry says whether the mail left (a failure is logged with
    its error in /admin/mail and is not retried: the user is told to try again).
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    link = absolute_url(f"/reset/{make_password_token(user, RESET)}")
    return send_to_user(user, "password_reset", lambda: _l("Reset your Etablera password"),
                        link=Secret(link))


def send_invitation(user: User) -> MailMessage:
    """E-mail an invitation link; the log entry says whether it left (not retried:
    the admin is told and can send it again from the account's page)."""
    link = absolute_url(f"/invitation/{make_password_token(user, INVITATION)}")
    return send_to_user(user, "invitation", lambda: _l("You are invited to Etablera"),
                        link=Secret(link))


def create_user(
    *,
    email: str,
    name: str,
    municipality: Municipality,
    role: Role,
    locale: str = "sv",
    actor: User | None = None,
    invite: bool = True,
) -> User:
    """Create an account without a password and e-mail an invitation to set one.

    Pass invite=False and call `send_invitation` to learn whether the mail left."""
    user = User(
        email=User.normalise_email(email),
        name=name.strip(),
        municipality=municipality,
        role=role,
        locale=locale,
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor, "user.created", "user", user.id,
        after={"email": user.email, "role": role, "municipality": municipality.slug},
        municipality_id=municipality.id,
    )
    db.session.commit()
    if invite:
        send_invitation(user)
    announce_new_account(user, actor)
    return user


def announce_new_account(user: User, actor: User | None) -> list[MailMessage]:
    """E-mail the active advisors of the new account's municipality (each in their own
    language) who was given an account, with which role, and by whom: an account in their
    municipality sees its confidential matters, so it never appears unnoticed."""
    advisors = db.session.scalars(
        sa.select(User).where(User.municipality_id == user.municipality_id,
                              User.role == Role.ADVISOR, User.active.is_(True),
                              User.id != user.id)
        .order_by(User.id))
    return [
        send_to_user(advisor, "account_created",
                     lambda: _l("New account in Etablera: %(name)s", name=user.name),
                     new_user=user, actor=actor)
        for advisor in advisors
    ]


def update_user(user: User, actor: User, **values) -> None:
    """Change an account, audited. Raises AccountChangeRefused (changing nothing) when
    an admin changes their own role or municipality, or when the user is moved to
    another municipality while holding open leads or follow-ups there.

    A change of role or municipality, and a deactivation, end every session of the user;
    a move also revokes the user's API tokens and calendar feed.
    """
    municipality = values.get("municipality")
    moved = municipality is not None and municipality.id != user.municipality_id
    role_changed = "role" in values and Role(values["role"]) != user.role
    if actor is not None and actor.id == user.id and (moved or role_changed):
        raise AccountChangeRefused(
            _("You cannot change your own role or municipality; ask another administrator."))
    if moved:
        _refuse_move_while_holding_work(user)
    deactivated = "active" in values and not values["active"] and user.active
    before = {key: getattr(user, key) for key in values}
    for key, value in values.items():
        setattr(user, key, value)
    old, new = audit.changes(before, values)
    if new:
        audit.record(actor, "user.updated", "user", user.id, before=old, after=new,
                     municipality_id=user.municipality_id)
    if moved:
        _revoke_credentials(user, actor)
    if moved or role_changed or deactivated:
        reason = "moved" if moved else "role_changed" if role_changed else "deactivated"
        _end_sessions(user, actor, reason)
    db.session.commit()


def _refuse_move_while_holding_work(user: User) -> None:
    open_leads = db.session.scalar(
        sa.select(sa.func.count()).select_from(Lead)
        .where(Lead.owner_id == user.id, Lead.stage.in_(OPEN_STAGES)))
    open_follow_ups = db.session.scalar(
        sa.select(sa.func.count()).select_from(FollowUp)
        .where(FollowUp.assignee_id == user.id, FollowUp.done_at.is_(None)))
    if open_leads or open_follow_ups:
        raise AccountChangeRefused(_(
            "%(name)s still holds %(leads)d open leads and %(follow_ups)d open follow-ups in "
            "%(municipality)s. Hand them over before moving the account to another "
            "municipality.", name=user.name, leads=open_leads, follow_ups=open_follow_ups,
            municipality=user.municipality.name))


def _revoke_credentials(user: User, actor: User | None) -> None:
    """Revoke the API tokens and delete the calendar feed (its URL answers 404) of a
    user moved to another municipality: both were issued for the old one."""
    now = utcnow()
    revoked = cast(sa.CursorResult, db.session.execute(
        sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now))).rowcount
    feeds = cast(sa.CursorResult, db.session.execute(
        sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id))).rowcount
    audit.record(actor, "user.credentials_revoked", "user", user.id,
                 after={"api_tokens": revoked, "calendar_feeds": feeds},
                 municipality_id=user.municipality_id)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_api_token(user: User) -> str:
    """A new personal API token; only its hash is stored, the raw value is returned once."""
    raw = "etb_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_hash_token(raw)))
    audit.record(user, "api_token.issued", "user", user.id, municipality_id=user.municipality_id)
    db.session.commit()
    return raw


# When a token was last used is recorded at most this often: writing it on every request
# cost each API call an UPDATE, a commit and reading the token again (`make bench`).
TOKEN_USE_RECORDED_EVERY = timedelta(hours=1)


def user_for_api_token(raw: str) -> User | None:
    token = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == _hash_token(raw), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None or not token.user.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or token.last_used_at <= now - TOKEN_USE_RECORDED_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token.user


# --- the user directory as other pages list it ----------------------------------------------

ADVISOR_OPTIONS_LIMIT = 500
_ADVISOR_OPTIONS = ProcessCache(size=64, trick="owner_filter")


def advisor_options(selected: int | None) -> Markup:
    """<option>s of every active advisor of the region by name (at most
    ADVISOR_OPTIONS_LIMIT), `selected` selected: the lead list's owner filter. Cached per
    process by the users' revision (users are deactivated, never deleted), since every lead
    list page shows it."""

    def build() -> Markup:
        advisors = db.session.execute(
            sa.select(User.id, User.name).where(User.role == Role.ADVISOR, User.active.is_(True))
            .order_by(User.name, User.id).limit(ADVISOR_OPTIONS_LIMIT))
        return option_tags(advisors, selected)

    return _ADVISOR_OPTIONS.get((table_revision(User), selected), build)
