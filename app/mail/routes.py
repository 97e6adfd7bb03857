"""/admin/mail: what was sent, what failed, and the log's own copy of each message."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin.health import FAILED_MAIL_DAYS, failed_mail_criterion
from app.auth.permissions import admin_required
from app.deliveries import all_given_up
from app.extensions import db
from app.input_rules import whole_number
from app.mail.models import MailMessage
from app.mail.service import concealed_by

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")
PER_PAGE = 50
# The log's kinds (the mail templates' names) as the admin reads them.
KIND_LABELS = {"account_created": _l("New account"), "digest": _l("Weekly digest"),
               "follow_up_reminder": _l("Follow-up reminder"), "invitation": _l("Invitation"),
               "notification": _l("Notification"), "password_reset": _l("Password reset")}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@bp.route("/")
@admin_required
def log():
    """The log, newest first; ?status=failed&days=<n>: what failed in the last n days
    (the start page's health panel links here)."""
    statement = sa.select(MailMessage)
    failed_days = whole_number(request.args.get("days"), digits=4) or FAILED_MAIL_DAYS
    only_failed = request.args.get("status") == "failed"
    if only_failed:
        statement = statement.where(failed_mail_criterion(failed_days))
    page = db.paginate(
        statement.order_by(MailMessage.created_at.desc(), MailMessage.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("admin/mail_log.html", page=page, given_up=all_given_up(),
                           only_failed=only_failed, failed_days=failed_days,
                           concealed=concealed_by(current_user, page.items))


@bp.route("/<int:message_id>")
@admin_required
def message(message_id: int):
    entry = db.session.get(MailMessage, message_id) or abort(404)
    concealed = concealed_by(current_user, [entry]).get(entry.id)
    return render_template("admin/mail_message.html", entry=entry, concealed=concealed)
