"""The calendar feed (no login: the secret in the URL is the credential) and its renewal."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from app.calendar_feed import service

bp = Blueprint("calendar_feed", __name__)


@bp.get("/calendar/<secret>.ics")
def feed(secret: str):
    user = service.user_for_secret(secret)
    if user is None:
        abort(404)
    response = Response(service.calendar_for(user), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Disposition"] = 'inline; filename="etablera.ics"'
    return response


@bp.post("/profile/calendar")
@login_required
def renew():
    secret = service.renew_secret(current_user)
    return render_template("calendar_feed/renewed.html", url=service.feed_url(secret))
