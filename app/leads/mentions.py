"""@mentions in a lead's activities. Who may be mentioned is who may read the activity:
for an internal activity the owning municipality's active users; otherwise also the
users of every municipality the lead is shared with (an anonymised share shows the
activities that are not internal). Offered by the autocomplete, and checked again when
the activity is saved: an id outside that audience is refused, never dropped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import Role, User
from app.extensions import db
from app.input_rules import FieldErrors, is_id, whole_number
from app.leads.models import Activity, ActivityMention, Lead, LeadShare
from app.leads.queries import escape_like
from app.notifications import service as notifications
from app.viewer import Viewer

OFFERED = 10  # names the autocomplete offers at most


def audience(lead: Lead, internal: bool) -> sa.Select[Any]:
    """The active users who may read an activity of `lead` (internal or not)."""
    own = User.municipality_id == lead.municipality_id
    partners = User.municipality_id.in_(
        sa.select(LeadShare.municipality_id).where(LeadShare.lead_id == lead.id))
    return sa.select(User).where(User.active.is_(True),
                                 User.role.in_([Role.ADVISOR, Role.VIEWER]),
                                 own if internal else sa.or_(own, partners))


def mentionable(lead: Lead, internal: bool, query: str) -> list[dict[str, Any]]:
    """Up to OFFERED users of the audience whose name has a word starting with `query`
    (any case): "ann" finds Anna Berg and Lisa Annerstedt, not Fanny."""
    statement = audience(lead, internal)
    words = (query or "").strip()[:60]
    if words:
        typed = escape_like(words)
        statement = statement.where(sa.or_(User.name.ilike(typed + "%", escape="\\"),
                                           User.name.ilike("% " + typed + "%", escape="\\")))
    users = db.session.scalars(statement.order_by(User.name, User.id).limit(OFFERED))
    return [{"id": user.id, "name": user.name} for user in users]


def parse_ids(raw: str | Iterable[Any] | None) -> list[int]:
    """The ids of a form's hidden field ("3,7") or the API's list; anything that is not
    an id is refused."""
    if raw is None or raw == "":
        return []
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    ids: list[int] = []
    for part in parts:
        value: Any = whole_number(part.strip()) if isinstance(part, str) else part
        if not is_id(value):
            raise FieldErrors({"mentions": [str(_l("Not a valid choice."))]})
        ids.append(int(value))
    return list(dict.fromkeys(ids))


def checked_readers(lead: Lead, internal: bool, user_ids: list[int]) -> list[User]:
    """The users `user_ids`, each of whom must be in the activity's audience."""
    if not user_ids:
        return []
    readers = list(db.session.scalars(audience(lead, internal).where(User.id.in_(user_ids))))
    if len(readers) != len(user_ids):
        raise FieldErrors({"body": [str(_l(
            "You can mention only people who may read this activity (an internal one: the "
            "lead's own municipality)."))]})
    return readers


def add_mentions(author: Viewer, lead: Lead, activity: Activity, readers: list[User]) -> None:
    """Store the mentions and notify each mentioned user (not the author) by the lead's
    codename only: the activity's text stays on the lead. Not committed."""
    for reader in readers:
        activity.mentions.append(ActivityMention(user_id=reader.id))
    notifications.notify(readers, "mentioned", {
        "codename": lead.codename, "author": notifications.name_of(author)},
        f"/leads/{lead.id}#activity-{activity.id}", actor=author, lead_id=lead.id)
