"""The reader's notifications: the list, marking read (and following the link)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.notifications import service
from app.redirects import safe_next

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    items = service.notifications_of(current_user)
    return render_template("notifications/index.html",
                           items=[(n, service.text_of(n)) for n in items])


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    notification = service.mark_read(current_user, notification_id)
    if notification is None:
        abort(404)
    return redirect(safe_next(notification.url, url_for("notifications.index")))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    service.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))


def _unread() -> int:
    """Counted when the user was loaded (app/auth load_user), else now."""
    counted = getattr(current_user, "unread_notifications", None)
    return service.unread_count(current_user) if counted is None else counted


def template_helpers() -> dict:
    return {"unread_notifications": _unread}
