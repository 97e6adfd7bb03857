"""Migration 0013 splits companies shared by several municipalities' leads, on a database
holding such cases (SQLite, and PostgreSQL when TEST_DATABASE_URL names one)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


def _insert(connection, table_name: str, **values: Any) -> int:
    """Insert a row into table `table_name` as it is at this revision: the given values, and a
    plain value for every other required column."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.primary_key or column.nullable \
                or column.server_default is not None:
            continue
        python_type = column.type.python_type
        row[column.name] = {bool: False, int: 1, float: 0.0, str: "x", date: date(2026, 1, 1),
                            datetime: datetime(2026, 1, 1, tzinfo=UTC)}.get(python_type, "x")
    return connection.execute(sa.insert(table).values(row).returning(table.c.id)).scalar_one()


def _world(connection) -> dict[str, int]:
    """At 0012: one company used by a Hallsberg lead (the oldest) and an Örebro lead, with
    a contact added on the Örebro lead (audited) and one of unknown origin; a company
    without leads last edited by a Kumla user; one without leads and without history."""
    ids = dict(connection.execute(sa.text("select slug, id from municipalities")).all())
    people = {slug: _insert(connection, "users", email=f"{slug}@m.example", name=slug,
                            municipality_id=ids[slug], role="advisor")
              for slug in ("hallsberg", "orebro", "kumla")}
    shared = _insert(connection, "companies", name="Delad AB", name_key="delad",
                     orgnr="556016-0680", country="Sverige", sector="Lager",
                     website="https://delad.example", version=3)
    hallsberg_lead = _insert(connection, "leads", codename="Projekt Delad", company_id=shared,
                             received_on=date(2026, 1, 5), municipality_id=ids["hallsberg"],
                             owner_id=people["hallsberg"], source="direct", stage="new")
    orebro_lead = _insert(connection, "leads", codename="Projekt Örebro", company_id=shared,
                          received_on=date(2026, 3, 1), municipality_id=ids["orebro"],
                          owner_id=people["orebro"], source="direct", stage="new")
    _insert(connection, "lead_shares", lead_id=hallsberg_lead, municipality_id=ids["kumla"],
            level="full")
    _insert(connection, "activities", lead_id=orebro_lead, kind="note", body="kvar")
    audited = _insert(connection, "contacts", company_id=shared, name="Örebros kontakt")
    _insert(connection, "audit_events", actor_id=people["orebro"], action="contact.created",
            object_type="contact", object_id=audited, municipality_id=ids["orebro"],
            after={"company_id": shared, "lead_id": orebro_lead})
    unknown = _insert(connection, "contacts", company_id=shared, name="Okänd kontakt")
    kumla_orphan = _insert(connection, "companies", name="Kumlas AB", name_key="kumlas",
                           country="Sverige", version=1)
    _insert(connection, "audit_events", actor_id=people["kumla"], action="company.updated",
            object_type="company", object_id=kumla_orphan, municipality_id=ids["kumla"],
            after={"name": "Kumlas AB"})
    orphan = _insert(connection, "companies", name="Ingens AB", name_key="ingens",
                     country="Sverige", version=1)
    return {**{f"m_{slug}": mid for slug, mid in ids.items()}, "shared": shared,
            "hallsberg_lead": hallsberg_lead, "orebro_lead": orebro_lead, "audited": audited,
            "unknown": unknown, "kumla_orphan": kumla_orphan, "orphan": orphan}


def test_companies_shared_by_municipalities_are_split_and_contacts_follow_their_lead(
        test_databases):
    url = test_databases.empty()
    try:
        application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with application.app_context():
            upgrade(revision="0012")
            with db.engine.begin() as connection:
                ids = _world(connection)
            upgrade()
            with db.engine.connect() as connection:
                def one(sql: str, **params: Any):
                    return connection.execute(sa.text(sql), params).one()

                # Hallsberg's lead is the oldest: Hallsberg keeps the row, Örebro gets a copy.
                assert one("select municipality_id, version from companies where id = :id",
                           id=ids["shared"]) == (ids["m_hallsberg"], 3)
                copy_id = one("select company_id from leads where id = :id",
                              id=ids["orebro_lead"])[0]
                assert copy_id != ids["shared"]
                assert one("select company_id from leads where id = :id",
                           id=ids["hallsberg_lead"])[0] == ids["shared"]
                assert tuple(one(
                    "select municipality_id, name, orgnr, country, sector, website, version "
                    "from companies where id = :id", id=copy_id)) == (
                    ids["m_orebro"], "Delad AB", "556016-0680", "Sverige", "Lager",
                    "https://delad.example", 1)
                # The audited contact goes with Örebro's lead; the other with the oldest lead.
                assert tuple(one("select company_id, lead_id from contacts where id = :id",
                                 id=ids["audited"])) == (copy_id, ids["orebro_lead"])
                assert tuple(one("select company_id, lead_id from contacts where id = :id",
                                 id=ids["unknown"])) == (ids["shared"], ids["hallsberg_lead"])
                # Companies without leads: the municipality of whoever last changed them,
                # else Örebro.
                assert one("select municipality_id from companies where id = :id",
                           id=ids["kumla_orphan"])[0] == ids["m_kumla"]
                assert one("select municipality_id from companies where id = :id",
                           id=ids["orphan"])[0] == ids["m_orebro"]
                assert one("select count(*) from companies")[0] == 4
                # Rebuilding tables (SQLite) ran no ON DELETE action on rows referring to them.
                assert one("select count(*) from lead_shares")[0] == 1
                assert one("select count(*) from activities")[0] == 1
                assert one("select count(*) from contacts")[0] == 2
            # Codenames are unique per municipality now: another municipality may reuse one.
            with db.engine.begin() as connection:
                _insert(connection, "leads", codename="Projekt Delad",
                        municipality_id=ids["m_orebro"], received_on=date(2026, 4, 1),
                        owner_id=one_owner(connection, ids["m_orebro"]), source="direct",
                        stage="new")
                connection.execute(sa.text("delete from leads where codename = 'Projekt Delad' "
                                           "and municipality_id = :m"), {"m": ids["m_orebro"]})
            db.session.remove()
            downgrade(revision="0012")
            upgrade()
            db.session.remove()
            db.engine.dispose()
    finally:
        test_databases.drop(url)


def one_owner(connection, municipality_id: int) -> int:
    return connection.execute(sa.text("select id from users where municipality_id = :m"),
                              {"m": municipality_id}).scalars().first()
