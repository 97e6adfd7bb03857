"""Logins, roles, password tokens, invitations and API tokens."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import AnonymousUser, Role, User
from app.extensions import db, login_manager


def init_app(app) -> None:
    from app.auth.commands import users_cli
    from app.auth.routes import bp

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.anonymous_user = AnonymousUser
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    app.jinja_env.globals["role_label"] = role_label


ROLE_LABELS = {
    Role.ADMIN: _l("administrator"),
    Role.ADVISOR: _l("advisor"),
    Role.VIEWER: _l("viewer"),
}


def role_label(role: Role | None) -> str:
    return str(ROLE_LABELS.get(role, "")) if role else ""


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.id == int(user_id)))
    return user if user is not None and user.active else None
