"""The registry of digest sections. Each feature registers what it reports:

    register_section("overdue_follow_ups", _l("Overdue follow-ups"), collect, order=10)

`collect(users, context)` receives every recipient of one language at once
(inside that locale, so gettext works) and returns {user_id: [DigestItem, …]};
users without items may be left out. Collect in a fixed number of queries for
all users — never one query per lead — and only what each user may see in
the product (confidential leads by codename only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.digest.weeks import IsoWeek


@dataclass(frozen=True)
class DigestContext:
    """What a section needs to know about the digest being composed (all UTC)."""

    week: IsoWeek
    now: datetime
    week_start: datetime
    week_end: datetime
    stale_before: datetime  # now − STALE_LEAD_DAYS


@dataclass(frozen=True)
class DigestItem:
    """One line of a section: text (escaped in HTML), an absolute link, a detail, and
    the lead the line is about (the mail log conceals a digest that lists a lead its
    reader may not see, so a section about leads must set it)."""

    text: str
    url: str | None = None
    detail: str | None = None
    lead_id: int | None = None


Collect = Callable[[Sequence[Any], DigestContext], Mapping[int, Sequence[DigestItem]]]


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: Any  # a lazy string, translated in the recipient's locale
    collect: Collect
    order: int = 100


SECTIONS: dict[str, DigestSection] = {}


def register_section(key: str, title: Any, collect: Collect, order: int = 100) -> DigestSection:
    """Add (or replace) the section `key`; sections appear in `order`."""
    section = DigestSection(key, title, collect, order)
    SECTIONS[key] = section
    return section


def unregister_section(key: str) -> None:
    SECTIONS.pop(key, None)


def sections() -> list[DigestSection]:
    return sorted(SECTIONS.values(), key=lambda section: (section.order, section.key))
