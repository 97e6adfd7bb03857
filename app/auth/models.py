"""Users of the four municipalities and their personal API tokens."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.clock import utcnow
from app.core.models import Municipality
from app.db_types import enum_column
from app.extensions import Model


class Role(enum.StrEnum):
    ADMIN = "admin"
    ADVISOR = "advisor"
    VIEWER = "viewer"


HASH_METHOD = "scrypt"
_DUMMY_HASH: list[str] = []


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash`. Without a hash (an unknown e-mail, an
    account whose invitation is not accepted) a dummy hash of the same kind is verified, so
    every login attempt costs the same work and its time reveals nothing."""
    if not password_hash:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(generate_password_hash(secrets.token_urlsafe(16),
                                                      method=HASH_METHOD))
        check_password_hash(_DUMMY_HASH[0], password)
        return False
    return check_password_hash(password_hash, password)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, 16))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(sa.String(2), default="sv")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set on every change of the row: caches of the user directory follow it (table_revision).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    last_login_at: Mapped[datetime | None]
    # Part of the login id (get_id): raising it ends every session and remember-me cookie.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    digest_opt_out: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    municipality: Mapped[Municipality] = relationship(lazy="joined", foreign_keys=[municipality_id])

    def __repr__(self) -> str:
        return f"<User {self.email}>"

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def get_id(self) -> str:
        """The login id kept in the session and the remember-me cookie: "<id>:<generation>"."""
        return f"{self.id}:{self.session_generation}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=HASH_METHOD)

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_advisor(self) -> bool:
        return self.role == Role.ADVISOR

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class AnonymousUser(AnonymousUserMixin):
    """A visitor who is not logged in: can nothing."""

    role = None
    municipality_id = None
    is_admin = False
    is_advisor = False
    locale = None

    def has_role(self, *roles: Role) -> bool:
        return False


class ApiToken(Model):
    """A personal bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Model):
    """One failed login, kept for the throttling window (app.auth.throttle).

    The submitted e-mail is stored only as the SHA-256 of its normalised form (people type
    passwords into the e-mail field); rows older than the window are pruned."""

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_email_key_failed_at", "email_key", "failed_at"),
        sa.Index("ix_login_failures_address_failed_at", "address", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str] = mapped_column(sa.String(64))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
