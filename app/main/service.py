"""What the start page shows; each feature adds its own panels here."""

from __future__ import annotations

from typing import Any


def start_page_summary(user: Any) -> dict[str, Any]:
    return {"municipality": user.municipality, "role": user.role}
