"""Translated labels of the lead vocabulary (stages in the Swedish of DOMAIN.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.leads.models import (
    SYSTEM_ACTIVITY_KINDS,
    ActivityKind,
    LostReason,
    ShareBasis,
    ShareLevel,
    ShareResponse,
    Source,
    Stage,
)

STAGE_LABELS = {
    Stage.NEW: _l("New inquiry"),
    Stage.QUALIFIED: _l("Needs analysis"),
    Stage.SITES_PROPOSED: _l("Sites proposed"),
    Stage.SITE_VISIT: _l("Site visit"),
    Stage.NEGOTIATION: _l("Negotiation"),
    Stage.WON: _l("Established"),
    Stage.LOST: _l("Lost"),
    Stage.ON_HOLD: _l("On hold"),
}
SOURCE_LABELS = {
    Source.DIRECT: _l("Direct"),
    Source.BUSINESS_SWEDEN: _l("Business Sweden"),
    # Arboga belongs to Region Västmanland, the others to Region Örebro län
    Source.REGION: _l("The region (Region Örebro län or Region Västmanland)"),
    Source.BROKER: _l("Broker or consultant"),
    Source.WEB_FORM: _l("Web form"),
    Source.FAIR: _l("Fair or event"),
    Source.OTHER: _l("Other"),
}
LOST_REASON_LABELS = {
    LostReason.OTHER_REGION: _l("Chose another region"),
    LostReason.NO_SUITABLE_SITE: _l("No suitable site"),
    LostReason.GRID_CAPACITY: _l("Grid capacity"),
    # "timeline" as the company's schedule, not the lead's activity timeline (Tidslinje)
    LostReason.TIMELINE: lazy_pgettext("lost reason", "Timeline"),
    LostReason.CANCELLED: _l("Project cancelled"),
    LostReason.OTHER: _l("Other"),
}
SHARE_LEVEL_LABELS = {
    ShareLevel.ANONYMISED: _l("Anonymised"),
    ShareLevel.FULL: _l("Full"),
}
SHARE_BASIS_LABELS = {
    ShareBasis.CONSENT: _l("The company's consent (OSL 12:2)"),
    ShareBasis.SECRECY_REVIEW: _l("Secrecy review"),
}
RESPONSE_LABELS = {
    ShareResponse.INTERESTED: _l("Interested"),
    ShareResponse.NO_SUITABLE_SITE: _l("No suitable site"),
}
ACTIVITY_LABELS = {
    ActivityKind.NOTE: _l("Note"),
    ActivityKind.CALL: _l("Call"),
    ActivityKind.MEETING: _l("Meeting"),
    ActivityKind.EMAIL: _l("E-mail"),
    ActivityKind.SITE_VISIT: _l("Site visit"),
    ActivityKind.STAGE_CHANGE: _l("Stage change"),
    ActivityKind.SHARE_CHANGE: _l("Sharing"),
    ActivityKind.PARTNER_ANSWER: _l("Partner's answer"),
}
LEVEL_LABELS = {"owner": _l("Owner"), "full": _l("Full"), "anonymised": _l("Anonymised")}


def label(mapping: dict, value) -> str:
    if value is None:
        return ""
    return str(mapping.get(value, value))


def translated(mapping: dict) -> dict:
    """`mapping` with its labels translated now, for a page that shows them on every row
    (each lazy string looks up the locale and the catalogue again)."""
    return {key: str(text) for key, text in mapping.items()}


def stage_label(stage) -> str:
    return label(STAGE_LABELS, Stage(stage) if stage in Stage._value2member_map_ else stage)


def _choices(mapping: dict) -> list[tuple[str, str]]:
    return [(key.value, str(text)) for key, text in mapping.items()]


def stage_choices():
    return _choices(STAGE_LABELS)


def source_choices():
    return _choices(SOURCE_LABELS)


def lost_reason_choices_blank():
    return [("", "–")] + _choices(LOST_REASON_LABELS)


def share_level_choices():
    return _choices(SHARE_LEVEL_LABELS)


def share_basis_choices():
    return [("", "–")] + _choices(SHARE_BASIS_LABELS)


def response_choices():
    return _choices(RESPONSE_LABELS)


def activity_kind_choices():
    system = {kind.value for kind in SYSTEM_ACTIVITY_KINDS}
    return [c for c in _choices(ACTIVITY_LABELS) if c[0] not in system]


def yes_no_choices():
    return [("", str(_l("Not stated"))), ("yes", str(_l("Yes"))), ("no", str(_l("No")))]


def yes_no_value(data: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(data or "")


def yes_no_data(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def lead_title(codename: str, municipality_name: str, own: bool) -> str:
    """A lead's codename as a list shows it: codenames are unique only within a
    municipality, so another municipality's lead carries its name ("Projekt X (Hallsberg)")."""
    return lead_titles()(codename, municipality_name, own)


def lead_titles() -> Callable[[str, str, bool], str]:
    """lead_title for a page of leads: the pattern translated once, not per lead."""
    from flask_babel import gettext

    pattern = gettext("%(codename)s (%(municipality)s)")

    def title(codename: str, municipality_name: str, own: bool) -> str:
        return codename if own else pattern % {"codename": codename,
                                               "municipality": municipality_name}

    return title


def share_event_text(activity: Any) -> str:
    """A share change or partner answer of the timeline as a sentence (its `params`)."""
    params = activity.params or {}
    municipality = params.get("municipality", "")
    level = label(LEVEL_LABELS, params.get("level")) if params.get("level") else ""
    if activity.kind == ActivityKind.PARTNER_ANSWER:
        return str(_l("%(municipality)s answered: %(response)s", municipality=municipality,
                      response=label(RESPONSE_LABELS, params.get("response"))))
    change = params.get("change")
    if change == "shared":
        return str(_l("Shared with %(municipality)s (%(level)s)", municipality=municipality,
                      level=level))
    if change == "level":
        return str(_l("The share with %(municipality)s is now %(level)s",
                      municipality=municipality, level=level))
    return str(_l("No longer shared with %(municipality)s", municipality=municipality))
