"""Logins, roles, password tokens, invitations and API tokens."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import AnonymousUser, Role, User
from app.extensions import db, login_manager
from app.input_rules import whole_number


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
    user = db.session.scalar(sa.select(User).where(User.id == int(user_id)))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user
