"""The navigation bar: each feature adds its entries with `add_nav_item`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, has_request_context, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy string, translated when shown
    order: int


_ITEMS: list[NavItem] = []


def add_nav_item(endpoint: str, label: Any, order: int = 100) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, order))
        _ITEMS.sort(key=lambda item: item.order)


def _nav_context() -> dict[str, Any]:
    if not has_request_context() or not current_user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": [{"url": url_for(i.endpoint), "label": i.label} for i in _ITEMS]}


def init_app(app: Flask) -> None:
    app.context_processor(_nav_context)
