"""The reader's notifications: the list, marking read (and following the link)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.input_rules import FieldErrors
from app.notifications import service
from app.notifications.forms import NotificationSettingsForm
from app.notifications.wording import text_of
from app.redirects import safe_next

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    items = service.notifications_of(current_user)
    return render_template("notifications/index.html",
                           items=[(n, text_of(n)) for n in items])


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


@bp.route("/profile/notifications", methods=["GET", "POST"])
@login_required
def settings():
    form = settings_form()
    if form.validate_on_submit():
        try:
            service.save_settings(current_user, form.choices())
        except FieldErrors as error:
            for name, messages in error.fields.items():
                form[name].errors = list(messages)
        else:
            flash(_("Your notification settings are saved."), "success")
            return redirect(url_for("auth.profile") + "#notification-settings")
    return render_template("notifications/settings.html", form=form), (
        422 if form.errors else 200)


def settings_form() -> NotificationSettingsForm:
    """The form, filled with the user's stored choices unless just submitted."""
    form = NotificationSettingsForm(prefix="notify")
    if not form.is_submitted():
        for key, channel in service.settings_of(current_user).items():
            form[key].data = channel.value
    return form


def _unread() -> int:
    """Counted when the user was loaded (app/auth load_user), else now."""
    counted = getattr(current_user, "unread_notifications", None)
    return service.unread_count(current_user) if counted is None else counted


def template_helpers() -> dict:
    return {"unread_notifications": _unread, "notification_settings_form": settings_form}
