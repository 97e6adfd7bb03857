"""Fictional demo data. Each feature contributes a seeder; each creates only what
is missing, identified by a natural key, and never changes what exists."""

from __future__ import annotations

from collections.abc import Callable

from app.extensions import db


def seeders() -> list[Callable[[], list[str]]]:
    from app.auth.demo import seed_users
    from app.digest.demo import seed_digests_delivered
    from app.intake.demo import seed_intake_advisors
    from app.leads.demo import seed_leads
    from app.reservations.demo import seed_reservations
    from app.sites.demo import seed_sites

    return [seed_users, seed_intake_advisors, seed_sites, seed_leads, seed_reservations,
            seed_digests_delivered]


def seed_demo() -> list[str]:
    """Run every seeder in order and commit; returns lines to print."""
    lines: list[str] = []
    for seeder in seeders():
        lines.extend(seeder())
        db.session.commit()
    return lines
