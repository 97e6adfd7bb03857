"""What the lead services raise for the views to answer."""

from __future__ import annotations


class PermissionDenied(Exception):
    """The user may see the lead but not do this to it (403)."""


class ValidationFailed(Exception):
    """Field errors: {field: [message, …]}; nothing was stored."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("invalid input")
        self.fields = fields

