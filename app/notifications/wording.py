"""Each notification kind's wording, in the reader's language when shown (in the product,
the e-mail and the digest): what every reader of it may see, a lead by its codename."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date, format_number, ngettext
from flask_babel import gettext as _

from app.leads.labels import RESPONSE_LABELS, SHARE_LEVEL_LABELS
from app.notifications.models import Notification


def text_of(notification: Notification) -> str:
    params = notification.params or {}
    wording = _WORDING.get(notification.kind)
    if wording is not None:
        return wording(params)
    if notification.kind == "lead_shared":
        return _("%(owner)s shared %(codename)s with your municipality (%(level)s)",
                 owner=params.get("owner", ""), codename=params.get("codename", ""),
                 level=_level(params.get("level")))
    if notification.kind == "share_revoked":
        return _("%(owner)s no longer shares %(codename)s with your municipality",
                 owner=params.get("owner", ""), codename=params.get("codename", ""))
    if notification.kind == "partner_answered":
        return _("%(partner)s answered on %(codename)s: %(response)s",
                 partner=params.get("partner", ""), codename=params.get("codename", ""),
                 response=_response(params.get("response")))
    return notification.kind


def _candidate(params: dict[str, Any]) -> str:
    if params.get("partner"):
        return _("%(partner)s proposed %(site)s as a candidate for %(codename)s",
                 partner=params["partner"], site=params.get("site", ""),
                 codename=params.get("codename", ""))
    return _("%(site)s, a site of your municipality, was proposed as a candidate for "
             "%(codename)s", site=params.get("site", ""), codename=params.get("codename", ""))


def _inquiry(params: dict[str, Any]) -> str:
    if params.get("client"):
        return _("A new inquiry from %(client)s: %(codename)s", client=params["client"],
                 codename=params.get("codename", ""))
    return _("A new web inquiry: %(codename)s", codename=params.get("codename", ""))


_WORDING: dict[str, Any] = {
    "web_inquiry": _inquiry,
    "lead_handed_over": lambda p: _(
        "%(actor)s handed over to you what %(from)s had: leads %(leads)s, follow-ups "
        "%(followups)s",
        actor=p.get("actor", ""), leads=format_number(p.get("leads", 0)),
        followups=format_number(p.get("followups", 0)), **{"from": p.get("from", "")}),
    "followup_assigned": lambda p: _(
        "%(actor)s gave you the follow-up “%(title)s” on %(codename)s, due %(due)s",
        actor=p.get("actor", ""), title=p.get("title", ""), codename=p.get("codename", ""),
        due=_date(p.get("due_on"))),
    "candidate_proposed": _candidate,
    "reservation_ending": lambda p: _(
        "The reservation of %(site)s for %(codename)s ends on %(date)s, in %(days)s days",
        site=p.get("site", ""), codename=p.get("codename", ""), date=_date(p.get("valid_until")),
        days=format_number(p.get("days_left", 0))),
    "reservation_expired": lambda p: _(
        "The reservation of %(site)s for %(codename)s has ended; the site is offered again",
        site=p.get("site", ""), codename=p.get("codename", "")),
    "mentioned": lambda p: _("%(author)s mentioned you in %(codename)s",
                             author=p.get("author", ""), codename=p.get("codename", "")),
    "pack_opened": lambda p: _("The company opened the prospect pack of %(codename)s",
                               codename=p.get("codename", "")),
    "export_ready": lambda p: ngettext("Your export (%(num)s row) is ready to download",
                                       "Your export (%(num)s rows) is ready to download",
                                       p.get("rows", 0)),
}


def _date(value: str | None) -> str:
    return format_date(date.fromisoformat(value)) if value else ""


def _level(value: str | None) -> str:
    labels = {level.value: label for level, label in SHARE_LEVEL_LABELS.items()}
    return str(labels.get(value, value)) if value else ""


def _response(value: str | None) -> str:
    labels = {response.value: label for response, label in RESPONSE_LABELS.items()}
    return str(labels.get(value, value)) if value else ""
