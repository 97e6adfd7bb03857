"""What the start page shows. Each feature adds a panel with `register_panel`:
a template (under templates/) and a function from the user to its context (or
None to hide the panel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.auth.models import User
from app.viewer import Viewer

PanelContext = Callable[[Viewer], dict[str, Any] | None]
_PANELS: list[tuple[int, str, PanelContext]] = []


def register_panel(template: str, context: PanelContext, order: int = 100) -> None:
    if all(existing != template for _, existing, _ in _PANELS):
        _PANELS.append((order, template, context))
        _PANELS.sort(key=lambda panel: panel[0])


def start_page_summary(user: User) -> dict[str, Any]:
    panels = []
    for _order, template, context in _PANELS:
        values = context(user)
        if values is not None:
            panels.append({"template": template, "context": values})
    return {"municipality": user.municipality, "role": user.role, "panels": panels}
