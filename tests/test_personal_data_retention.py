"""Gallring: each municipality's setting (default 3 years after a lead is closed as lost,
10 after won) lists the leads due for anonymisation on its page and in its advisors'
digest; anonymising removes personal data and keeps the figures. Time is injected."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from app.core.models import AuditEvent
from app.digest.service import send_weekly_digests
from app.extensions import db
from app.leads.companies import add_contact
from app.leads.models import Company, Contact, Lead, LostReason, Stage
from app.privacy import retention
from tests.factories import municipality
from tests.leads_helpers import login, make_lead
from tests.mailbox import text_part

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # a Monday


def closed(owner, key: str, stage: Stage, decided_on: date | None, changed: datetime | None = None,
           **extra) -> Lead:
    lead = make_lead(owner, key, stage=stage, decided_on=decided_on, expected_jobs=120,
                     investment_msek=310.0, **extra)
    if changed is not None:
        lead.stage_changed_at = changed
    lead.company.website = f"https://{key}.example"
    db.session.commit()
    add_contact(owner, lead, {"name": f"Person {key}", "email": f"{key}@bolaget.example",
                              "phone": "+46701234567", "title": "Vd"})
    return lead


@pytest.fixture
def leads(app, users) -> dict[str, Lead]:
    kumla = users["kumla"]
    return {
        "lost_due": closed(kumla, "lost_due", Stage.LOST, date(2023, 11, 30),
                           lost_reason=LostReason.OTHER_REGION),
        "lost_not_yet": closed(kumla, "lost_not_yet", Stage.LOST, date(2023, 12, 1)),
        "lost_by_stage_change": closed(kumla, "lost_by_change", Stage.LOST, None,
                                       changed=datetime(2023, 5, 1, 9, 0, tzinfo=UTC)),
        "won_due": closed(kumla, "won_due", Stage.WON, date(2016, 11, 1)),
        "won_not_yet": closed(kumla, "won_not_yet", Stage.WON, date(2020, 1, 1)),
        "open": closed(kumla, "open", Stage.NEGOTIATION, None,
                       changed=datetime(2015, 1, 1, tzinfo=UTC)),
        "arboga_lost": closed(users["arboga"], "arboga_lost", Stage.LOST, date(2020, 1, 1)),
    }


def due_keys(slug: str) -> set[str]:
    return {lead.codename.removeprefix("Projekt ")
            for lead in retention.due_leads(municipality(slug))}


def test_the_defaults_are_three_years_after_lost_and_ten_after_won(app):
    kumla = municipality("kumla")
    assert (kumla.retention_lost_years, kumla.retention_won_years) == (3, 10)


def test_leads_become_due_on_the_day_their_retention_ends(leads):
    with time_machine.travel(NOW, tick=False):
        assert due_keys("kumla") == {"lost_due", "lost_by_change", "won_due"}
        assert due_keys("arboga") == {"arboga_lost"}
    with time_machine.travel(datetime(2026, 11, 29, 12, 0, tzinfo=UTC), tick=False):
        assert "lost_due" not in due_keys("kumla")
    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), tick=False):
        assert "lost_not_yet" in due_keys("kumla")


def test_a_municipalitys_setting_changes_only_its_own_list(app, leads, users):
    with time_machine.travel(NOW, tick=False):
        retention.save_setting(users["admin"], municipality("kumla"), 1, 5)
        assert due_keys("kumla") == {"lost_due", "lost_not_yet", "lost_by_change", "won_due",
                                     "won_not_yet"}
        assert due_keys("arboga") == {"arboga_lost"}
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "municipality.retention_changed"))
    assert event.before == {"lost_years": 3, "won_years": 10}
    assert event.after == {"lost_years": 1, "won_years": 5}


def test_anonymising_removes_personal_data_and_keeps_the_figures(app, leads, users):
    lead = leads["lost_due"]
    with time_machine.travel(NOW, tick=False):
        assert retention.anonymise(users["kumla"], municipality("kumla"),
                                   [lead.id, leads["lost_not_yet"].id, leads["arboga_lost"].id]) == 1
        assert "lost_due" not in due_keys("kumla")
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    contact = db.session.scalar(sa.select(Contact).where(Contact.lead_id == lead.id))
    assert (contact.email, contact.phone, contact.title) == (None, None, None)
    assert "Person" not in contact.name and contact.erased_at is not None
    assert lead.company.website is None
    assert (lead.stage, lead.expected_jobs, lead.investment_msek, lead.lost_reason,
            lead.decided_on, lead.sector) == (Stage.LOST, 120, 310.0, LostReason.OTHER_REGION,
                                              date(2023, 11, 30), "Warehousing")
    assert lead.anonymised_at is not None
    untouched = db.session.scalar(sa.select(Contact).where(
        Contact.lead_id == leads["lost_not_yet"].id))
    assert untouched.email == "lost_not_yet@bolaget.example"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "lead.anonymised"))
    assert event.object_id == lead.id and event.after["contacts_erased"] == 1


def test_a_company_with_another_lead_keeping_personal_data_keeps_its_details(app, leads, users):
    lead = leads["lost_due"]
    newer = make_lead(users["kumla"], "samma_bolag", stage=Stage.QUALIFIED)
    newer.company_id = lead.company_id
    db.session.commit()
    with time_machine.travel(NOW, tick=False):
        retention.anonymise(users["kumla"], municipality("kumla"), [lead.id])
    assert db.session.get(Company, lead.company_id).website == "https://lost_due.example"


def test_the_page_lists_the_due_leads_to_the_municipalitys_advisors(client, leads):
    with time_machine.travel(NOW, tick=False):
        login(client, "kumla")
        page = client.get("/privacy/retention").get_data(as_text=True)
        assert "Projekt lost_due" in page and "Projekt won_due" in page
        assert "Projekt lost_not_yet" not in page and "Projekt arboga_lost" not in page
        assert "Bolaget" not in page  # codenames only
        response = client.post("/privacy/retention/kumla/anonymise",
                               data={"lead_id": [str(leads["lost_due"].id)]})
        assert response.status_code == 302
        assert "Projekt lost_due" not in client.get("/privacy/retention").get_data(as_text=True)
        assert client.post("/privacy/retention/kumla/setting",
                           data={"lost_years": "1", "won_years": "5"}).status_code == 403
        assert client.post("/privacy/retention/arboga/anonymise",
                           data={"lead_id": [str(leads["arboga_lost"].id)]}).status_code == 403
    assert db.session.get(Lead, leads["arboga_lost"].id).anonymised_at is None


def test_the_admin_sets_any_municipalitys_retention_but_sees_only_its_own_list(client, leads):
    with time_machine.travel(NOW, tick=False):
        login(client, "admin")
        page = client.get("/privacy/retention?municipality=kumla").get_data(as_text=True)
        assert "Projekt lost_due" not in page and 'data-testid="retention-setting"' in page
        response = client.post("/privacy/retention/kumla/setting",
                               data={"lost_years": "2", "won_years": "12"})
        assert response.status_code == 302
        bad = client.post("/privacy/retention/kumla/setting",
                          data={"lost_years": "0", "won_years": "tolv"})
        assert bad.status_code == 422
    kumla = municipality("kumla")
    db.session.refresh(kumla)
    assert (kumla.retention_lost_years, kumla.retention_won_years) == (2, 12)


def test_viewers_do_not_get_the_page(client, leads):
    login(client, "viewer")
    assert client.get("/privacy/retention").status_code == 403


def test_the_digest_lists_the_due_leads_to_the_municipalitys_advisors(app, smtp_server, leads):
    app.config.update(smtp_server.settings())
    with time_machine.travel(NOW, tick=False):
        send_weekly_digests()
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages()}
    kumla = text_part(by_recipient["kumla@test.example"])
    assert "Personuppgifter att gallra" in kumla
    assert "Projekt lost_due" in kumla and "Projekt won_due" in kumla
    assert "Projekt arboga_lost" not in kumla and "Bolaget" not in kumla
    assert "Projekt arboga_lost" in text_part(by_recipient["arboga@test.example"])
