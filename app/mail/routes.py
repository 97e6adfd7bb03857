"""/admin/mail: what was sent, what failed, and (file transport) the messages."""

from __future__ import annotations

import email
from email import policy

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request

from app.auth.permissions import admin_required
from app.deliveries import all_given_up
from app.extensions import db
from app.mail.models import MailMessage
from app.mail.service import outbox_file

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")
PER_PAGE = 50


@bp.route("/")
@admin_required
def log():
    page = db.paginate(
        sa.select(MailMessage).order_by(MailMessage.created_at.desc(), MailMessage.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("admin/mail_log.html", page=page, given_up=all_given_up())


@bp.route("/<int:message_id>")
@admin_required
def message(message_id: int):
    entry = db.session.get(MailMessage, message_id) or abort(404)
    path = outbox_file(entry)
    parsed = None
    if path is not None:
        parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    parts = {}
    if parsed is not None:
        for kind in ("plain", "html"):
            body = parsed.get_body(preferencelist=(kind,))
            parts[kind] = body.get_content() if body is not None else ""
    return render_template("admin/mail_message.html", entry=entry, parsed=parsed, parts=parts)
