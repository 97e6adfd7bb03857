"""Read the messages the file transport wrote."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path


class Outbox:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def messages(self) -> list[EmailMessage]:
        if not self.folder.exists():
            return []
        return [
            email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.folder.glob("*.eml"))
        ]

    def last(self) -> EmailMessage:
        messages = self.messages()
        assert messages, "no e-mail was written"
        return messages[-1]


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
