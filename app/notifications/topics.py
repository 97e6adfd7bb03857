"""What a user can choose to receive by e-mail: notification kinds grouped into topics,
each at once, in the weekly digest, or not at all (profile settings; issue 17 defaults:
shares, answers, mentions and reservation expiry at once, the rest in the digest)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


class Channel(enum.StrEnum):
    NOW = "now"
    DIGEST = "digest"
    OFF = "off"


CHANNEL_LABELS = {Channel.NOW: _l("At once"), Channel.DIGEST: _l("In the weekly digest"),
                  Channel.OFF: _l("Not by e-mail")}


@dataclass(frozen=True)
class Topic:
    key: str
    label: object  # a lazy string
    default: Channel
    kinds: tuple[str, ...]


TOPICS = (
    Topic("inquiries", _l("New inquiries from the web form and partner systems"), Channel.NOW,
          ("web_inquiry",)),
    Topic("shares", _l("Leads shared with my municipality"), Channel.NOW,
          ("lead_shared", "share_revoked")),
    Topic("answers", _l("Partners' answers on my municipality's leads"), Channel.NOW,
          ("partner_answered",)),
    Topic("mentions", _l("Mentions of me"), Channel.NOW, ("mentioned",)),
    Topic("assignments", _l("Leads and follow-ups handed over or assigned to me"),
          Channel.DIGEST, ("lead_handed_over", "followup_assigned")),
    Topic("candidates", _l("Sites proposed as candidates"), Channel.DIGEST,
          ("candidate_proposed",)),
    Topic("reservations", _l("Reservations ending or expired"), Channel.NOW,
          ("reservation_ending", "reservation_expired")),
    Topic("packs", _l("Prospect packs opened"), Channel.DIGEST, ("pack_opened",)),
    Topic("exports", _l("Exports ready"), Channel.DIGEST, ("export_ready",)),
)
TOPIC_OF_KIND = {kind: topic for topic in TOPICS for kind in topic.kinds}
