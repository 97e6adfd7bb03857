"""What the lead services raise for the views to answer."""

from __future__ import annotations


class PermissionDenied(Exception):
    """The user may see the lead but not do this to it (403)."""
