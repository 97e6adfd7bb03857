"""The reader's e-mail choice per topic (profile)."""

from __future__ import annotations

from app.forms import Form, SelectField
from app.notifications.topics import CHANNEL_LABELS, TOPICS


def _channel_choices() -> list[tuple[str, str]]:
    return [(channel.value, str(label)) for channel, label in CHANNEL_LABELS.items()]


class NotificationSettingsForm(Form):
    """A select per topic, named by its key (fields added below, from TOPICS)."""

    def choices(self) -> dict[str, str]:
        return {topic.key: self[topic.key].data for topic in TOPICS}  # by key, not prefixed name


for _topic in TOPICS:
    setattr(NotificationSettingsForm, _topic.key,
            SelectField(_topic.label, choices=_channel_choices))
