"""Migration 0035: leads from before the intake (0034) get the first answer the reports
read, as app.leads.inquiries.record_first_answer would have noted it: the first timeline
entry or change of skede by an advisor of the owning municipality."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db

ADVISOR_NOTE = "2026-03-04 09:00:00+00"


def _insert(connection, table: str, **values) -> int:
    """A row as the schema of that revision has it (no models: they describe the head)."""
    shape = sa.table(table, sa.column("id"), *(sa.column(name) for name in values))
    return connection.scalar(sa.insert(shape).values(**values).returning(shape.c.id))


def _user(connection, email: str, municipality: int, role: str) -> int:
    return _insert(connection, "users", email=email, name=email, municipality_id=municipality,
                   role=role, active=True, locale="sv", created_at="2026-01-01 00:00:00+00")


def _lead(connection, codename: str, owner: int, municipality: int) -> int:
    musts = {f"{name}_must": False for name in (
        "land", "building", "rail", "motorway", "terminal", "power", "water", "preferred",
        "start")}
    return _insert(connection, "leads", codename=codename, source="direct",
                   received_on="2026-03-02", stage="qualified",
                   stage_changed_at="2026-03-02 10:00:00+00", owner_id=owner,
                   municipality_id=municipality, confidential=False, version=1,
                   created_at="2026-03-02 08:00:00+00", updated_at="2026-03-02 08:00:00+00",
                   **musts)


def _entry(connection, lead: int, author: int, municipality: int, kind: str, at: str) -> None:
    _insert(connection, "activities", lead_id=lead, kind=kind, body="", internal=True,
            author_id=author, municipality_id=municipality, at=at)


def test_old_leads_get_their_first_answer_by_an_advisor_of_their_municipality(test_databases):
    url = test_databases.empty()
    try:
        application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with application.app_context():
            upgrade(revision="0034")
            with db.engine.begin() as connection:
                ids = dict(connection.execute(sa.text("select slug, id from municipalities")).all())
                hallsberg, kumla = ids["hallsberg"], ids["kumla"]
                advisor = _user(connection, "h@test.example", hallsberg, "advisor")
                viewer = _user(connection, "v@test.example", hallsberg, "viewer")
                partner = _user(connection, "k@test.example", kumla, "advisor")
                answered = _lead(connection, "Answered", advisor, hallsberg)
                # before the advisor's note: the product's own entry, a partner's answer,
                # a viewer's entry; none of them is the municipality's answer
                _entry(connection, answered, advisor, hallsberg, "share_change",
                       "2026-03-02 09:00:00+00")
                _entry(connection, answered, partner, kumla, "partner_answer",
                       "2026-03-02 11:00:00+00")
                _entry(connection, answered, viewer, hallsberg, "note", "2026-03-03 09:00:00+00")
                _entry(connection, answered, advisor, hallsberg, "note", ADVISOR_NOTE)
                _entry(connection, answered, advisor, hallsberg, "stage_change",
                       "2026-03-05 09:00:00+00")
                unanswered = _lead(connection, "Unanswered", advisor, hallsberg)
                _entry(connection, unanswered, partner, kumla, "note", "2026-03-03 09:00:00+00")
                kept = _lead(connection, "Kept", advisor, hallsberg)
                connection.execute(sa.text(
                    "update leads set first_answered_at = '2026-03-02 12:00:00+00' "
                    "where id = :id"), {"id": kept})
                _entry(connection, kept, advisor, hallsberg, "note", "2026-03-01 09:00:00+00")
            upgrade()
            with db.engine.connect() as connection:
                found = {codename: at for codename, at in connection.execute(sa.text(
                    "select codename, first_answered_at from leads"))}
            db.engine.dispose()
    finally:
        test_databases.drop(url)
    as_text = {codename: at if at is None else str(at)[:16] for codename, at in found.items()}
    assert as_text == {"Answered": "2026-03-04 09:00", "Unanswered": None,
                       "Kept": "2026-03-02 12:00"}
