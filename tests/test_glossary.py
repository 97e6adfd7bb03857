"""Issue 18: the Swedish interface uses one word per concept, the words of the glossary in
../shared/DOMAIN.md (ärende, skede, ärendetavla, sekretessmarkerad, industrispår,
markareal, "senast", mark och lokaler / objekt …). A translation using a word the
glossary rules out fails here, whichever page, e-mail or export shows it."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parent.parent / "app/translations/sv/LC_MESSAGES/messages.po"

# word ruled out -> the glossary's word
RULED_OUT = {
    r"\bsteg\b": "skede", r"\bstegbyte\b": "byt skede", r"\bpipeline\b": "ärendetavla",
    r"\bförfrågningar\b": "ärenden", r"\bförfrågan\b": "ärende (\"Ny förfrågan\" is the first skede)",
    r"\bjärnvägsspår\b": "industrispår", r"\bmotorvägskorsning": "trafikplats",
    r"\bplats(en|er|erna)?\b": "objekt / mark och lokaler", r"\bmarkyta": "markareal",
    r"\bbyggnadsyta": "byggnadsarea", r"\btillåten användning": "användning enligt detaljplan",
    r"\bförfaller\b": "senast", r"\bförlorad": "avslutad utan etablering", r"\bMSEK\b": "mnkr",
    r"\btitel\b": "befattning", r"\boffentlig": "får publiceras / publikt",
}
# Where the ruled-out word means something else, by msgid.
OTHER_MEANING = {
    "New inquiry": "the first skede is Ny förfrågan",
    "%(num)d new inquiry in your municipality": "leads in the skede Ny förfrågan",
    "On request": "a price 'på förfrågan'",
    "No place in Sweden was found for that address. Click on the map or type the coordinates.":
        "a place on the map",
}


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def test_the_swedish_interface_uses_the_glossarys_words():
    catalog = read_po(CATALOG.open("rb"))
    found = []
    for message in catalog:
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if not msgid or msgid in OTHER_MEANING:
            continue
        for text in _strings(message):
            for pattern, word in RULED_OUT.items():
                if text and re.search(pattern, text, re.IGNORECASE) and not _a_location(text):
                    found.append(f"{msgid!r}: {text!r} -> {word}")
    assert found == [], "\n".join(found)


def _a_location(text: str) -> bool:
    """'platsen' for a point on the map (a position), not a site."""
    return bool(re.search(r"kartan|koordinat|kommungräns", text, re.IGNORECASE))


def test_the_lost_reason_timeline_is_not_the_activity_timeline(app):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from app.leads import labels
    from app.leads.models import LostReason, Source

    with app.test_request_context(), force_locale("sv"):
        assert str(labels.LOST_REASON_LABELS[LostReason.TIMELINE]) == "Tidsplanen"
        assert _("Timeline") == "Tidslinje"
        # Arboga belongs to Region Västmanland: the source names both regions
        assert "Västmanland" in str(labels.SOURCE_LABELS[Source.REGION])
