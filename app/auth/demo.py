"""Demo users, one per role and municipality, all with the demo password."""

from __future__ import annotations

from app.auth.models import Role, User
from app.auth.service import find_user_by_email
from app.core.service import municipality_by_slug
from app.extensions import db

DEMO_DOMAIN = "logistikregionen.example"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credential

DEMO_USERS = [
    ("admin", "Alva Admin", "orebro", Role.ADMIN),
    ("orebro", "Olle Örebro", "orebro", Role.ADVISOR),
    ("hallsberg", "Hanna Hallsberg", "hallsberg", Role.ADVISOR),
    ("kumla", "Karin Kumla", "kumla", Role.ADVISOR),
    ("arboga", "Anders Arboga", "arboga", Role.ADVISOR),
    ("viewer", "Vera Viewer", "kumla", Role.VIEWER),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def seed_users() -> list[str]:
    lines = [f"Demo users (password {DEMO_PASSWORD}):"]
    for local_part, name, slug, role in DEMO_USERS:
        email = demo_email(local_part)
        user = find_user_by_email(email)
        status = "exists"
        if user is None:
            user = User(email=email, name=name, municipality=municipality_by_slug(slug),
                        role=role, locale="sv")
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            status = "created"
        lines.append(f"  {email:40} {role.value:8} {slug:10} {status}")
    return lines
