"""Factories for test data, saved through the application's own session."""

from __future__ import annotations

import factory
import sqlalchemy as sa

from app.auth.models import Role, User
from app.core.models import Municipality
from app.extensions import db

TEST_PASSWORD = "correct-horse-battery"


def municipality(slug: str) -> Municipality:
    return db.session.scalar(sa.select(Municipality).where(Municipality.slug == slug))


class UserFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    name = factory.Faker("name", locale="sv_SE")
    role = Role.ADVISOR
    locale = "sv"
    active = True
    municipality = factory.LazyFunction(lambda: municipality("orebro"))
    password_hash = factory.LazyFunction(lambda: _hashed(TEST_PASSWORD))


_HASHES: dict[str, str] = {}


def _hashed(password: str) -> str:
    """scrypt is slow on purpose; hash the shared test password once per run."""
    if password not in _HASHES:
        probe = User()
        probe.set_password(password)
        _HASHES[password] = probe.password_hash
    return _HASHES[password]


def make_user(email: str, slug: str = "orebro", role: str = "advisor", **extra) -> User:
    return UserFactory(email=email, municipality=municipality(slug), role=Role(role), **extra)


# Sites (app/sites) -----------------------------------------------------------

def make_site(slug: str = "kumla", **values):
    """A site saved directly (no audit), with distances computed; inside Kumla by default."""
    from app.sites.models import Site, SiteKind, SiteStatus
    from app.sites.service import distances_for

    defaults = {"name": "Testtomt", "kind": SiteKind.LAND, "lat": 59.1380, "lon": 15.1180,
                "status": SiteStatus.AVAILABLE, "land_area_m2": 50_000}
    defaults.update(values)
    site = Site(municipality=municipality(slug), **defaults,
                **distances_for(defaults["lat"], defaults["lon"]))
    db.session.add(site)
    db.session.commit()
    return site
