"""Sharing: levels, e-mail to the partner's advisors, responses, revoking, follow-ups."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.clock import local_today
from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import FollowUp, LeadShare, ShareLevel
from tests.factories import make_user
from tests.leads_helpers import company_name, login, make_lead, share
from tests.mailbox import text_part


def test_sharing_e_mails_the_partners_active_users_without_company_data(client, users, outbox):
    make_user("inactive@test.example", "hallsberg", "advisor", active=False)
    make_user("hviewer@test.example", "hallsberg", "viewer")
    lead = make_lead(users["kumla"], "mail")
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/shares", data={"municipalities": "hallsberg",
                                                             "level": "anonymised"})
    assert response.status_code == 302
    messages = sorted(outbox.messages(), key=lambda m: m["To"].addresses[0].addr_spec)
    assert [m["To"].addresses[0].addr_spec for m in messages] == [
        "hallsberg@test.example", "hviewer@test.example"]
    text = text_part(messages[0])
    assert lead.codename in text and f"http://etablera.test/leads/{lead.id}" in text
    assert company_name("mail") not in messages[0].as_string()
    assert messages[0]["Subject"] == f"Kumla delade {lead.codename} med er kommun (Anonymiserad)"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "lead.shared"))
    assert event.after == {"municipality": "hallsberg", "level": "anonymised"}


def test_changing_the_level_mails_the_new_level_and_revoking_hides_the_lead(client, users, outbox):
    lead = make_lead(users["kumla"], "level")
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/shares", data={"municipalities": "arboga", "level": "anonymised"})
    client.post(f"/leads/{lead.id}/shares", data={"municipalities": "arboga", "level": "anonymised"})
    client.post(f"/leads/{lead.id}/shares", data={"municipalities": "arboga", "level": "full"})
    assert [m["Subject"] for m in outbox.messages()] == [
        f"Kumla delade {lead.codename} med er kommun (Anonymiserad)",
        f"Kumla delade {lead.codename} med er kommun (Fullständig)"]
    assert db.session.scalar(sa.select(LeadShare.level)) == ShareLevel.FULL
    client.post(f"/leads/{lead.id}/shares/revoke", data={"municipality": "arboga"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeadShare)) == 0
    client.post("/logout")
    login(client, "arboga")
    assert client.get(f"/leads/{lead.id}").status_code == 404


def test_sharing_with_the_own_or_an_unknown_municipality_is_refused(client, users):
    lead = make_lead(users["kumla"], "own")
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/shares", data={"municipalities": "kumla", "level": "full"})
    client.post(f"/leads/{lead.id}/shares", data={"municipalities": "stockholm", "level": "full"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeadShare)) == 0


def test_partner_responds_and_the_owner_sees_it(client, users):
    lead = make_lead(users["kumla"], "respond")
    share(lead, "arboga", ShareLevel.ANONYMISED)
    login(client, "arboga")
    client.post(f"/leads/{lead.id}/response", data={"response": "no_suitable_site",
                                                    "comment": "Ingen mark med spår"})
    client.post("/logout")
    login(client, "kumla")
    body = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Ingen mark med spår" in body
    assert db.session.scalar(sa.select(LeadShare.response)).value == "no_suitable_site"


def test_partner_adds_a_followup_but_cannot_edit_the_lead(client, users):
    lead = make_lead(users["kumla"], "partner")
    share(lead, "arboga", ShareLevel.FULL)
    login(client, "arboga")
    client.post(f"/leads/{lead.id}/followups", data={"title": "Visa Rala",
                                                     "due_on": "2026-12-01"})
    assert db.session.scalar(sa.select(FollowUp.assignee_id)) == users["arboga"].id
    assert client.get(f"/leads/{lead.id}/edit").status_code == 403


def test_followup_assignee_must_see_the_lead(client, users):
    lead = make_lead(users["kumla"], "assignee")
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/followups", data={"title": "x", "due_on": "2026-12-01",
                                                     "assignee_id": users["hallsberg"].id})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0


def test_my_followups_are_grouped_and_can_be_done_and_undone(client, users):
    lead = make_lead(users["kumla"], "mine")
    today = local_today()
    for title, days in [("late", -2), ("now", 0), ("far", 30)]:
        db.session.add(FollowUp(lead_id=lead.id, title=title, due_on=today + timedelta(days=days),
                                assignee_id=users["kumla"].id))
    db.session.commit()
    login(client, "kumla")
    body = client.get("/followups").get_data(as_text=True)
    overdue = body.split('data-testid="group-overdue"')[1].split("</section>")[0]
    assert "late" in overdue and "now" not in overdue
    assert "far" in body.split('data-testid="group-later"')[1].split("</section>")[0]
    late = db.session.scalar(sa.select(FollowUp).where(FollowUp.title == "late"))
    client.post(f"/followups/{late.id}/done", data={"done": "1"})
    db.session.refresh(late)
    assert late.done_at is not None
    client.post(f"/followups/{late.id}/done", data={"done": "0"})
    db.session.refresh(late)
    assert late.done_at is None
    start = client.get("/").get_data(as_text=True)
    assert "Försenade (1)" in start  # the desk (tests/test_start_desk.py)


def test_overdue_filter_on_the_list(client, users):
    late = make_lead(users["kumla"], "late")
    make_lead(users["kumla"], "fine")
    db.session.add(FollowUp(lead_id=late.id, title="x", due_on=local_today() - timedelta(days=1),
                            assignee_id=users["kumla"].id))
    db.session.commit()
    login(client, "kumla")
    body = client.get("/leads?overdue=1").get_data(as_text=True)
    assert "Projekt late" in body and "Projekt fine" not in body


def test_a_municipality_named_twice_is_shared_once(app, users):
    from app.leads.sharing import share_lead

    lead = make_lead(users["kumla"], "kumla_twice")
    share_lead(users["kumla"], lead, ["arboga", "arboga"], "full")
    assert [share.municipality.slug for share in lead.shares] == ["arboga"]


def test_share_form_offers_only_the_partner_municipalities(client, users):
    lead = make_lead(users["kumla"], "choices")
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    share_form = page[page.index('name="municipalities"'):]
    share_form = share_form[:share_form.index("</select>")]
    assert 'value="arboga"' in share_form and 'value="orebro"' in share_form
    assert 'value="kumla"' not in share_form
