"""The lead's history (Historik) in words: each audit event as sentences in the reader's
language, with the form's field labels and values as the product shows them ("Anna Berg
ändrade Markareal min (m²) från 30 000 till 50 000"), never JSON, escapes or codes.
The page shows it to the owning municipality only (queries.lead_detail)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.candidates.models import STATUS_LABELS
from app.core.models import AuditEvent, Municipality
from app.extensions import db
from app.forms import shown_value
from app.i18n import Figures
from app.leads import labels
from app.leads.forms import LeadForm

# The unit each number field is written with (app.i18n.Figures).
_UNITS = {"land_min_m2": "m2", "land_max_m2": "m2", "contiguous_m2": "m2", "building_m2": "m2",
          "motorway_km_max": "km", "terminal_km_max": "km", "airport_km_max": "km",
          "power_mw": "mw", "price_max_sek_m2": "kr_m2", "investment_msek": "mnkr",
          "power_lead_time_months": "months", "expected_jobs": ""}
_OTHER_LABELS = {"stage": _l("Stage"), "owner_id": _l("Owner"), "company_id": _l("Company"),
                 "lost_reason": _l("Reason"), "lost_comment": _l("Comment"),
                 "decided_on": _l("Decision date"), "level": _l("Share level"),
                 "status": _l("Status"), "reason": _l("Reason"), "note": _l("Note"),
                 "title": _l("Follow-up"), "due_on": _l("Due"), "remind_at": _l("Reminder")}
_IDS = ("_id", "followup_id", "candidate", "visit", "pack", "activity_id", "site")


def field_label(name: str) -> str:
    unbound = getattr(LeadForm, name, None)
    if unbound is not None and getattr(unbound, "args", None):
        return str(unbound.args[0])
    return str(_OTHER_LABELS.get(name, name.replace("_", " ")))


class Wording:
    """What the sentences need, looked up once per page: names of users, municipalities
    and companies, and the locale's figures."""

    def __init__(self, events: list[AuditEvent]) -> None:
        self.figures = Figures.current()
        values = [event.before or {} for event in events] + [event.after or {} for event in events]
        user_ids = {v.get("owner_id") for v in values} | {v.get("assignee_id") for v in values}
        self.users = dict(db.session.execute(sa.select(User.id, User.name).where(
            User.id.in_({i for i in user_ids if isinstance(i, int)}))).all())
        self.municipalities = dict(db.session.execute(
            sa.select(Municipality.slug, Municipality.name)).all())

    def value(self, name: str, value: Any) -> str:
        """A stored value as the product shows it."""
        if value is None or value == "" or value == [] or isinstance(value, bool):
            return shown_value(value)
        if name in _UNITS and isinstance(value, int | float):
            unit = _UNITS[name]
            return self.figures.quantity(value, unit) if unit else self.figures.number(value)
        if name == "stage":
            return labels.stage_label(value)
        if name == "source":
            return labels.label(labels.SOURCE_LABELS, value)
        if name == "lost_reason":
            return labels.label(labels.LOST_REASON_LABELS, value)
        if name == "level":
            return labels.label(labels.LEVEL_LABELS, value)
        if name == "status":
            return labels.label(STATUS_LABELS, value)
        if name in ("owner_id", "assignee_id"):
            return self.users.get(value, "–")
        if name == "municipality":
            return self.municipalities.get(value, value)
        if name == "preferred_municipalities":
            return ", ".join(self.municipalities.get(s, s) for s in str(value).split(",") if s)
        if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
            try:
                if len(value) == 10:
                    return format_date(date.fromisoformat(value))
                return format_datetime(datetime.fromisoformat(value), "short")
            except ValueError:
                return value
        return str(value)


def _changes(actor: str, before: dict, after: dict, say: Wording) -> list[str]:
    sentences = []
    for name in after:
        if name.endswith(_IDS) and name not in ("owner_id", "company_id", "assignee_id"):
            continue
        old, new = before.get(name), after.get(name)
        label = field_label(name)
        if name == "company_id":
            sentences.append(_("%(actor)s linked another company", actor=actor) if new
                             else _("%(actor)s unlinked the company", actor=actor))
            continue
        if old in (None, "", []):
            sentences.append(_("%(actor)s set %(field)s to %(new)s", actor=actor, field=label,
                               new=say.value(name, new)))
        elif new in (None, "", []):
            sentences.append(_("%(actor)s cleared %(field)s (was %(old)s)", actor=actor,
                               field=label, old=say.value(name, old)))
        else:
            sentences.append(_("%(actor)s changed %(field)s from %(old)s to %(new)s",
                               actor=actor, field=label, old=say.value(name, old),
                               new=say.value(name, new)))
    return sentences


def _sentences(event: AuditEvent, say: Wording) -> list[str]:
    actor = event.actor.name if event.actor else _("The system")
    before, after = event.before or {}, event.after or {}
    speak: dict[str, Callable[[], list[str]]] = {
        "lead.created": lambda: [_("%(actor)s created the lead", actor=actor)],
        "lead.updated": lambda: _changes(actor, before, after, say),
        "lead.stage_changed": lambda: [_("%(actor)s changed the stage from %(old)s to %(new)s",
                                         actor=actor, old=say.value("stage", before.get("stage")),
                                         new=say.value("stage", after.get("stage")))]
        + _changes(actor, {}, {k: v for k, v in after.items() if k != "stage" and v}, say),
        "lead.shared": lambda: [_("%(actor)s shared the lead with %(municipality)s (%(level)s)",
                                  actor=actor,
                                  municipality=say.value("municipality", after.get("municipality")),
                                  level=say.value("level", after.get("level")))],
        "lead.share_revoked": lambda: [_("%(actor)s stopped sharing the lead with %(municipality)s",
                                         actor=actor, municipality=say.value(
                                             "municipality", before.get("municipality")))],
        "lead.share_lowered": lambda: [_(
            "The share with %(municipality)s became anonymised: the lead was marked confidential "
            "without a recorded basis", municipality=say.value("municipality",
                                                                after.get("municipality")))],
        "lead.share_response": lambda: [_("%(actor)s answered for %(municipality)s: %(response)s",
                                          actor=actor, municipality=say.value(
                                              "municipality", after.get("municipality")),
                                          response=labels.label(labels.RESPONSE_LABELS,
                                                                after.get("response")))],
        "activity.created": lambda: [_("%(actor)s added an activity (%(kind)s)", actor=actor,
                                       kind=labels.label(labels.ACTIVITY_LABELS,
                                                         after.get("kind")))],
        "followup.created": lambda: [_("%(actor)s added the follow-up “%(title)s”, due %(date)s",
                                       actor=actor, title=after.get("title", ""),
                                       date=say.value("due_on", after.get("due_on")))],
        "followup.done": lambda: [_("%(actor)s marked a follow-up done", actor=actor)],
        "followup.reopened": lambda: [_("%(actor)s reopened a follow-up", actor=actor)],
        "followup.reminder_moved": lambda: [_("%(actor)s moved a reminder to %(when)s",
                                              actor=actor,
                                              when=say.value("remind_at", after.get("remind_at")))],
        "candidate.proposed": lambda: [_("%(actor)s proposed a site as a candidate", actor=actor)],
        "candidate.changed": lambda: _changes(actor, before, {
            k: v for k, v in after.items() if k != "candidate"}, say),
        "site_visit.planned": lambda: [_("%(actor)s planned a site visit on %(date)s",
                                         actor=actor, date=say.value("due_on", after.get("due_on")))],
        "site_visit.held": lambda: [_("%(actor)s recorded a site visit as held", actor=actor)],
        "pack.created": lambda: [_("%(actor)s made a prospect pack for the company", actor=actor)],
        "pack.revoked": lambda: [_("%(actor)s withdrew a prospect pack", actor=actor)],
    }
    if event.action in speak:
        return speak[event.action]() or [_("%(actor)s saved the lead unchanged", actor=actor)]
    return [_("%(actor)s: %(action)s", actor=actor, action=event.action)] + _changes(
        actor, before, after, say)


def history_lines(events: list[AuditEvent]) -> list[tuple[datetime, list[str]]]:
    """Each event's time and sentences, in the events' order."""
    say = Wording(events)
    return [(event.at, _sentences(event, say)) for event in events]
