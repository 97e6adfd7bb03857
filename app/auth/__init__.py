"""Logins, roles, password tokens, invitations and API tokens."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import AnonymousUser, Role, User
from app.extensions import db, login_manager
from app.input_rules import whole_number
from app.notifications.models import Notification


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
def load_user(login_id: str) -> User | None:
    """The active user of a login id "<id>:<generation>" (User.get_id) from the session or
    the remember-me cookie; None, so logged out, once the user's generation has moved on
    (password set or changed, role or municipality changed, deactivated, signed out
    everywhere) or for an id of the old form."""
    user_id, _, generation = login_id.partition(":")
    if whole_number(user_id) is None or whole_number(generation) is None:
        return None
    # The bell's unread count comes in the same statement: every page shows it.
    unread = (sa.select(sa.func.count()).select_from(Notification)
              .where(Notification.user_id == User.id, Notification.read_at.is_(None))
              .scalar_subquery())
    row = db.session.execute(sa.select(User, unread).where(User.id == int(user_id))).first()
    if row is None:
        return None
    user = row[0]
    if not user.active or user.session_generation != int(generation):
        return None
    user.unread_notifications = row[1]
    return user
