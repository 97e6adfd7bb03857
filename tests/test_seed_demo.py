import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db


def test_seed_demo_creates_the_demo_users_and_prints_them(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for email in ("admin", "orebro", "hallsberg", "kumla", "arboga", "viewer"):
        assert f"{email}@logistikregionen.example" in result.output
    viewer = db.session.scalar(sa.select(User).where(User.email == "viewer@logistikregionen.example"))
    assert viewer.role.value == "viewer" and viewer.municipality.slug == "kumla"
    assert viewer.check_password("demo-password-2026")


def test_seed_demo_is_idempotent_and_keeps_edits(runner):
    runner.invoke(args=["seed-demo"])
    kumla = db.session.scalar(sa.select(User).where(User.email == "kumla@logistikregionen.example"))
    kumla.name = "Edited Name"
    kumla.set_password("an-edited-password")
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count
    kumla = db.session.scalar(sa.select(User).where(User.email == "kumla@logistikregionen.example"))
    assert kumla.name == "Edited Name"
    assert kumla.check_password("an-edited-password")


def test_seed_demo_refuses_under_production(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refuses" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_the_first_start_after_seed_demo_mails_no_digest(app, runner, outbox):
    """Issue 18: the development scheduler's first run found this week's digests due and
    mailed one to every demo user; seed-demo counts them as delivered."""
    from datetime import UTC, datetime

    import time_machine

    from app.digest.service import send_due_digests

    with time_machine.travel(datetime(2026, 12, 9, 10, 0, tzinfo=UTC), tick=False):  # Wednesday
        runner.invoke(args=["seed-demo"])
        report = send_due_digests()
        again = runner.invoke(args=["seed-demo"])  # idempotent: nothing more to mark
    assert report.not_due is False and report.sent == [] and outbox.messages() == []
    assert "counted as delivered" not in again.output
