"""`/digest/preview`: the current user's digest exactly as it would be sent."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.digest import service

bp = Blueprint("digest", __name__)


@bp.get("/digest/preview")
@login_required
def preview():
    digest = service.compose_digest(current_user)
    message = service.digest_message(digest)
    return render_template(
        "digest/preview.html",
        digest=digest,
        subject=message["Subject"],
        text=message.get_body(preferencelist=("plain",)).get_content(),
        html=message.get_body(preferencelist=("html",)).get_content(),
    )
