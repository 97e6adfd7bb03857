"""Demo sites: about forty, fictional and labelled, inside their municipalities."""

import sqlalchemy as sa

from app.extensions import db
from app.sites.geography import km_outside
from app.sites.models import Site, SiteKind, SiteStatus
from app.sites.service import completeness


def _sites() -> list[Site]:
    return list(db.session.scalars(sa.select(Site)))


def test_seed_demo_creates_about_forty_labelled_sites_inside_their_municipalities(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo sites (fictional): 40 created" in result.output
    sites = _sites()
    assert len(sites) == 40
    for site in sites:
        assert "(demo)" in site.name and "Fiktiv demodata" in site.description
        assert km_outside(site.municipality.slug, site.lat, site.lon) == 0.0, site.name
        assert site.dist_motorway_km is not None and site.dist_motorway_km < 15
    assert {s.municipality.slug for s in sites} == {"orebro", "hallsberg", "kumla", "arboga"}
    assert {s.kind for s in sites} == set(SiteKind)
    assert {s.status for s in sites} == set(SiteStatus)
    assert any(completeness(s).missing for s in sites)
    assert any(not completeness(s).missing for s in sites)


def test_seed_demo_is_idempotent_and_keeps_edits(runner):
    runner.invoke(args=["seed-demo"])
    first = db.session.scalar(sa.select(Site).order_by(Site.id))
    first.price_sek_m2 = 777
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert "0 created, 40 kept" in result.output
    db.session.expire_all()
    assert len(_sites()) == 40
    assert db.session.get(Site, first.id).price_sek_m2 == 777
