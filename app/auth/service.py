"""Logins, throttling, password tokens, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup

from app import audit
from app.auth.models import ApiToken, Role, User
from app.caching import ProcessCache, table_revision
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db
from app.forms import option_tags
from app.mail.models import MailMessage
from app.mail.redaction import Secret
from app.mail.service import absolute_url, send_to_user

RESET_SALT = "etablera-password-reset"
INVITATION_SALT = "etablera-invitation"


class LoginLocked(Exception):
    """Too many failed logins for this account; try again later."""


@dataclass(frozen=True)
class TokenPurpose:
    salt: str
    max_age_setting: str


RESET = TokenPurpose(RESET_SALT, "PASSWORD_RESET_MAX_AGE")
INVITATION = TokenPurpose(INVITATION_SALT, "INVITATION_MAX_AGE")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == User.normalise_email(email)))


def authenticate(email: str, password: str, now: datetime | None = None) -> User | None:
    """The user when e-mail and password match and the account may log in.

    Failed attempts are counted in the database (so the count holds across
    server processes); after LOGIN_MAX_FAILURES within LOGIN_FAILURE_WINDOW the
    account is locked for LOGIN_LOCK_DURATION and LoginLocked is raised.
    """
    now = now or utcnow()
    user = find_user_by_email(email)
    if user is None:
        return None
    if user.locked_until is not None and user.locked_until > now:
        raise LoginLocked()
    if user.is_active and user.check_password(password):
        user.failed_logins = 0
        user.failed_window_started_at = None
        user.locked_until = None
        user.last_login_at = now
        db.session.commit()
        return user
    _count_failure(user, now)
    return None


def _count_failure(user: User, now: datetime) -> None:
    """Count a failed login in one UPDATE, so concurrent processes never lose a count."""
    config = current_app.config
    window_start = now - config["LOGIN_FAILURE_WINDOW"]
    new_window = sa.or_(
        User.failed_window_started_at.is_(None), User.failed_window_started_at < window_start
    )
    db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(
            failed_logins=sa.case((new_window, 1), else_=User.failed_logins + 1),
            failed_window_started_at=sa.case((new_window, now), else_=User.failed_window_started_at),
        )
    )
    db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.failed_logins >= config["LOGIN_MAX_FAILURES"])
        .values(locked_until=now + config["LOGIN_LOCK_DURATION"], failed_logins=0,
                failed_window_started_at=None)
    )
    db.session.commit()
    db.session.refresh(user)
    if user.locked_until is not None and user.locked_until > now:
        raise LoginLocked()


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
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(actor or user, "user.password_set", "user", user.id,
                 municipality_id=user.municipality_id)
    db.session.commit()


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
    return user


def update_user(user: User, actor: User, **values) -> None:
    before = {key: getattr(user, key) for key in values}
    for key, value in values.items():
        setattr(user, key, value)
    old, new = audit.changes(before, values)
    if new:
        audit.record(actor, "user.updated", "user", user.id, before=old, after=new,
                     municipality_id=user.municipality_id)
    db.session.commit()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_api_token(user: User) -> str:
    """A new personal API token; only its hash is stored, the raw value is returned once."""
    raw = "etb_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_hash_token(raw)))
    audit.record(user, "api_token.issued", "user", user.id, municipality_id=user.municipality_id)
    db.session.commit()
    return raw


def user_for_api_token(raw: str) -> User | None:
    token = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == _hash_token(raw), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    return token.user


# --- the user directory as other pages list it ----------------------------------------------

ADVISOR_OPTIONS_LIMIT = 500
_ADVISOR_OPTIONS = ProcessCache(size=64)


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
