"""Users of the four municipalities and their personal API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.clock import utcnow
from app.core.models import Municipality
from app.db_types import enum_column
from app.extensions import db


class Role(enum.StrEnum):
    ADMIN = "admin"
    ADVISOR = "advisor"
    VIEWER = "viewer"


class User(UserMixin, db.Model):
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
    failed_logins: Mapped[int] = mapped_column(default=0)
    failed_window_started_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    digest_opt_out: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    municipality: Mapped[Municipality] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<User {self.email}>"

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_advisor(self) -> bool:
        return self.role == Role.ADVISOR

    @property
    def can_edit_matters(self) -> bool:
        """Advisors work their municipality's matters; viewers and admins only read them."""
        return self.role == Role.ADVISOR

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class AnonymousUser(AnonymousUserMixin):
    """A visitor who is not logged in: can nothing."""

    role = None
    municipality_id = None
    is_admin = False
    is_advisor = False
    can_edit_matters = False
    locale = None

    def has_role(self, *roles: Role) -> bool:
        return False


class ApiToken(db.Model):
    """A personal bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")
