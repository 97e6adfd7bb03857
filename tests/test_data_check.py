"""`flask data check [--fix]`: stored rows that break the input rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import Activity, ActivityKind, Company, Contact, FollowUp, Lead
from tests.leads_helpers import make_lead


@pytest.fixture
def broken(app, users):
    """Rows stored before the rules: each breaks one."""
    owner = users["kumla"]
    lead = make_lead(owner, "trasig")
    lead.codename = "Projekt\x0bVT"
    lead.description = "Rad ett\x0c\nRad två\u202e"
    contact = Contact(company_id=lead.company_id, lead_id=lead.id, name="Anna\x1b",
                      email="not-an-email", phone="💥💥")
    followup = FollowUp(lead_id=lead.id, title="Ring", due_on=date(9999, 12, 31),
                        assignee_id=owner.id)
    activity = Activity(lead_id=lead.id, kind=ActivityKind.NOTE, body="Gammal",
                        at=datetime(1, 1, 1, 12, tzinfo=UTC), author_id=owner.id)
    db.session.add_all([contact, followup, activity])
    db.session.commit()
    return {"lead": lead, "contact": contact, "followup": followup, "activity": activity}


def _lines(result) -> list[str]:
    return result.output.splitlines()


def test_data_check_lists_rows_that_break_the_rules_per_table_and_id(runner, broken):
    lead, contact = broken["lead"], broken["contact"]
    version = lead.version
    result = runner.invoke(args=["data", "check"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert f"leads {lead.id} codename: contains the character U+000B" in output
    assert f"leads {lead.id} description: contains the character U+000C" in output
    assert f"contacts {contact.id} name: contains the character U+001B" in output
    assert f"contacts {contact.id} email:" in output
    assert f"contacts {contact.id} phone:" in output
    assert f"follow_ups {broken['followup'].id} due_on:" in output
    assert f"activities {broken['activity'].id} at:" in output
    assert "[fixed]" not in output
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).codename == "Projekt\x0bVT"  # nothing changed
    assert db.session.get(Lead, lead.id).version == version


def test_data_check_fix_strips_control_characters_audited_and_lists_the_rest(runner, broken):
    lead, contact = broken["lead"], broken["contact"]
    version = lead.version
    result = runner.invoke(args=["data", "check", "--fix"])
    assert result.exit_code == 0, result.output
    assert f"leads {lead.id} codename: contains the character U+000B, which is not allowed [fixed]" \
        in result.output
    assert f"contacts {contact.id} email:" in result.output
    db.session.expire_all()
    fixed = db.session.get(Lead, lead.id)
    assert fixed.codename == "ProjektVT"
    assert fixed.description == "Rad ett\nRad två"
    assert fixed.version > version  # an open edit form gets a conflict, not the old text
    assert db.session.get(Contact, contact.id).name == "Anna"
    assert db.session.get(Contact, contact.id).email == "not-an-email"  # not mechanical
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "data.fix")).all()
    assert {(event.object_type, event.object_id, tuple(event.after)) for event in events} >= {
        ("leads", lead.id, ("codename",)), ("leads", lead.id, ("description",)),
        ("contacts", contact.id, ("name",))}
    codename_event = next(event for event in events if event.after == {"codename": "ProjektVT"})
    assert codename_event.before == {"codename": "Projekt\x0bVT"}
    assert codename_event.municipality_id == lead.municipality_id

    again = runner.invoke(args=["data", "check"])
    assert "U+000B" not in again.output and "[fixed]" not in again.output
    assert f"contacts {contact.id} email:" in again.output
    assert f"follow_ups {broken['followup'].id} due_on:" in again.output


def test_data_check_of_clean_data_says_so(runner, users):
    make_lead(users["kumla"], "ren")
    result = runner.invoke(args=["data", "check"])
    assert result.exit_code == 0, result.output
    assert "No stored value breaks the input rules." in result.output


def test_data_check_never_crashes_on_a_value_it_cannot_read(runner, users, app):
    lead_id = make_lead(users["kumla"], "oläslig").id
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite stores text in a date column")
    db.session.execute(sa.text("UPDATE leads SET received_on = 'banan' WHERE id = :id"),
                       {"id": lead_id})
    db.session.commit()
    result = runner.invoke(args=["data", "check", "--fix"])
    assert result.exit_code == 0, result.output
    assert f"leads {lead_id} received_on: cannot be read" in result.output
    db.session.execute(sa.text("DELETE FROM leads WHERE id = :id"), {"id": lead_id})


def test_data_check_lists_an_organisation_number_not_written_normalised(runner, users):
    lead = make_lead(users["kumla"], "orgnr")
    db.session.execute(sa.update(Company).where(Company.id == lead.company_id)
                       .values(orgnr="5560125790"))
    db.session.commit()
    result = runner.invoke(args=["data", "check"])
    assert f"companies {lead.company_id} orgnr: not written NNNNNN-NNNN" in result.output
