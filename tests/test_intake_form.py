"""The public inquiry form (/inquiry): who owns the inquiry, what it stores, the company
register of the owning municipality, the receipt, and the abuse guards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.candidates.models import CandidateSite
from app.clock import utcnow
from app.extensions import db
from app.intake.models import BotCount
from app.leads.models import Company, Contact, ShareLevel, Source, Stage
from app.notifications.models import Notification
from app.sites.models import SiteStatus
from tests.factories import make_site, make_user, municipality
from tests.intake_helpers import FORM, leads, submit
from tests.leads_helpers import login
from tests.mailbox import html_part, text_part


@pytest.fixture
def app_overrides() -> dict:
    return {"INTAKE_MIN_FILL_SECONDS": 0, "INTAKE_RATE_LIMIT": "100 per minute"}


@pytest.fixture
def intake(users):
    """Kumla's intake advisor is a second advisor, not the first one."""
    chosen = make_user("kumla-intake@test.example", "kumla", "advisor", name="Ida Intag")
    kumla = municipality("kumla")
    kumla.intake_user_id = chosen.id
    db.session.commit()
    return chosen


def test_an_inquiry_preferring_kumla_is_a_new_lead_of_kumlas_intake_advisor(
        client, users, intake, outbox):
    response = submit(client, municipalities=["kumla"])
    assert response.status_code == 302 and "/inquiry/thanks" in response.location
    [lead] = leads()
    assert (lead.municipality.slug, lead.owner_id) == ("kumla", intake.id)
    assert (lead.stage, lead.source) == (Stage.NEW, Source.WEB_FORM)
    assert lead.web_inquiry_new and lead.inquiry_reference.startswith("ETB-")
    assert (lead.land_min_m2, lead.building_m2, lead.power_mw, lead.rail_siding,
            lead.expected_jobs) == (60_000, 20_000, 5.5, True, 80)
    assert lead.description == FORM["plans"] and lead.preferred_slugs == ["kumla"]
    assert lead.company.name == "Nordlager AB" and lead.company.municipality.slug == "kumla"
    [contact] = db.session.scalars(sa.select(Contact)).all()
    assert (contact.name, contact.email, contact.phone, contact.lead_id) == (
        "Stina Svensson", "stina@nordlager.example", "+46 19 12 34 56", lead.id)
    assert lead.shares == []
    readers = set(db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "web_inquiry")))
    assert readers == {users["kumla"].id, intake.id}  # the advisors, not the viewer


def test_the_receipt_has_fixed_text_and_the_reference_and_echoes_nothing(client, users,
                                                                        intake, outbox):
    submit(client, municipalities=["kumla"], company_name="Klicka här http://spam.example",
           plans="Köp billiga klockor på http://spam.example", contact_name="Spam Spamsson")
    [lead] = leads()
    receipts = [m for m in outbox.messages() if m["To"] == "stina@nordlager.example"]
    [receipt] = receipts
    assert lead.inquiry_reference in receipt["Subject"]
    body = text_part(receipt) + html_part(receipt)
    assert lead.inquiry_reference in body and "Tack för er etableringsförfrågan" in body
    for echoed in ("spam.example", "Spam Spamsson", "Klicka", "klockor"):
        assert echoed not in body and echoed not in receipt["Subject"]


def test_the_receipt_is_in_english_when_the_form_was(client, users, intake, outbox):
    submit(client, municipalities=["kumla"], query="?lang=en")
    [receipt] = [m for m in outbox.messages() if m["To"] == "stina@nordlager.example"]
    assert "We have received your inquiry" in receipt["Subject"]
    assert "Thank you for your inquiry" in text_part(receipt)


def test_without_a_single_preference_orebro_owns_it_and_the_others_get_anonymised_shares(
        client, users):
    submit(client, municipalities=["kumla", "hallsberg"])
    [lead] = leads()
    assert lead.municipality.slug == "orebro" and lead.owner_id == users["orebro"].id
    assert {(s.municipality.slug, s.level) for s in lead.shares} == {
        ("kumla", ShareLevel.ANONYMISED), ("hallsberg", ShareLevel.ANONYMISED)}
    shared = db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "lead_shared")).all()
    assert users["kumla"].id in shared and users["hallsberg"].id in shared


def test_no_preference_goes_to_the_intake_municipality(app, client, users):
    app.config["INTAKE_MUNICIPALITY"] = "arboga"
    submit(client, municipalities=["none"])
    [lead] = leads()
    assert lead.municipality.slug == "arboga" and lead.preferred_municipalities is None


def test_municipalities_and_no_preference_together_are_refused(client, users):
    response = submit(client, municipalities=["kumla", "none"])
    assert response.status_code == 200 and leads() == []
    assert "inte båda" in response.get_data(as_text=True)


def test_consent_is_required(client, users):
    response = submit(client, municipalities=["kumla"], consent="")
    assert response.status_code == 200 and leads() == []
    assert 'href="/inquiry/privacy?lang=sv"' in response.get_data(as_text=True)


@pytest.mark.parametrize("name, value", [
    ("orgnr", "556016-0681"), ("email", "inte-en-adress"), ("company_name", "x" * 201),
    ("land_area_m2", "12.000"), ("plans", "Rad\x0bmed styrtecken"), ("contact_name", ""),
])
def test_the_input_rules_of_the_forms_hold(client, users, name, value):
    response = submit(client, municipalities=["kumla"], **{name: value})
    assert response.status_code == 200 and leads() == []
    assert "is-invalid" in response.get_data(as_text=True)


def test_a_site_of_the_catalogue_becomes_a_proposed_candidate(client, users):
    site = make_site("hallsberg", name="Rala etapp 2", public=True)
    page = client.get(f"/inquiry?site={site.id}").get_data(as_text=True)
    assert "Rala etapp 2" in page
    assert re.search(r'<input checked[^>]*value="hallsberg"', page)  # its municipality
    submit(client, municipalities=["kumla"], query=f"?site={site.id}", site_id=str(site.id))
    [lead] = leads()
    [candidate] = db.session.scalars(sa.select(CandidateSite)).all()
    assert (candidate.lead_id, candidate.site_id) == (lead.id, site.id)
    assert lead.municipality.slug == "kumla"
    assert [(s.municipality.slug, s.level) for s in lead.shares] == [
        ("hallsberg", ShareLevel.ANONYMISED)]
    told = db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "candidate_proposed")).all()
    assert told == [users["hallsberg"].id]


def test_a_site_no_longer_offered_is_left_out_and_the_inquiry_kept(client, users):
    site = make_site("kumla", status=SiteStatus.SOLD, public=True)
    assert "Testtomt" not in client.get(f"/inquiry?site={site.id}").get_data(as_text=True)
    response = submit(client, municipalities=["kumla"], site_id=str(site.id))
    assert response.status_code == 302 and len(leads()) == 1
    assert db.session.scalars(sa.select(CandidateSite)).all() == []


def test_a_company_of_the_owning_municipality_is_reused_by_orgnr_and_never_changed(
        client, users):
    kumla_company = Company(municipality=municipality("kumla"), name="Nordlager i Kumla AB",
                            name_key="nordlager i kumla", orgnr="556016-0680",
                            country="Sverige", sector="Logistik")
    db.session.add(kumla_company)
    db.session.commit()
    submit(client, municipalities=["kumla"], orgnr="5560160680",
           company_name="Helt Annat Namn AB", sector="Kemi")
    [lead] = leads()
    assert lead.company_id == kumla_company.id
    db.session.refresh(kumla_company)
    assert (kumla_company.name, kumla_company.sector) == ("Nordlager i Kumla AB", "Logistik")
    assert "Företagets namn: Helt Annat Namn AB" in lead.description
    assert "Bransch: Kemi" in lead.description


def test_a_company_of_another_municipality_is_not_reused(client, users):
    hallsberg_company = Company(municipality=municipality("hallsberg"), name="Nordlager AB",
                                name_key="nordlager", orgnr="556016-0680", country="Sverige")
    db.session.add(hallsberg_company)
    db.session.commit()
    submit(client, municipalities=["kumla"], orgnr="556016-0680")
    [lead] = leads()
    assert lead.company_id != hallsberg_company.id
    assert lead.company.municipality.slug == "kumla" and lead.company.orgnr == "556016-0680"


def test_a_filled_honeypot_stores_nothing_and_is_counted(client, users, outbox):
    response = submit(client, municipalities=["kumla"], homepage="http://bot.example")
    assert response.status_code == 302 and "/inquiry/thanks" in response.location
    assert leads() == [] and outbox.messages() == []
    assert db.session.scalar(sa.select(BotCount.count).where(BotCount.reason == "honeypot")) == 1


def test_a_form_sent_too_fast_stores_nothing_and_is_counted(app, client, users, outbox):
    app.config["INTAKE_MIN_FILL_SECONDS"] = 4
    with time_machine.travel(utcnow(), tick=False) as traveller:
        submit(client, municipalities=["kumla"])
        assert leads() == []
        traveller.shift(timedelta(seconds=5))
        submit(client, municipalities=["kumla"])  # a new form, sent at once again
        assert leads() == []
    assert db.session.scalar(sa.select(BotCount.count).where(BotCount.reason == "too_fast")) == 2
    assert outbox.messages() == []


def test_a_form_filled_in_long_enough_is_taken(app, client, users):
    app.config["INTAKE_MIN_FILL_SECONDS"] = 4
    from tests.intake_helpers import started_token

    with time_machine.travel(utcnow(), tick=False) as traveller:
        token = started_token(client)
        traveller.shift(timedelta(seconds=5))
        client.post("/inquiry", data={**FORM, "municipalities": ["kumla"], "started": token})
    assert len(leads()) == 1


def test_a_form_without_its_started_token_is_a_bots(client, users):
    client.post("/inquiry", data={**FORM, "municipalities": ["kumla"]})
    assert leads() == []


def test_the_admin_sees_the_bots_and_chooses_the_intake_advisors(client, auth, users):
    submit(client, municipalities=["kumla"], homepage="x")
    auth.login("admin@test.example")
    page = client.get("/admin/intake").get_data(as_text=True)
    assert 'data-testid="bot-counts"' in page
    response = client.post("/admin/intake", data={"municipality": "kumla",
                                                  "user_id": str(users["kumla"].id)})
    assert response.status_code == 302
    assert municipality("kumla").intake_user_id == users["kumla"].id
    refused = client.post("/admin/intake", data={"municipality": "kumla",
                                                 "user_id": str(users["hallsberg"].id)})
    assert refused.status_code == 302 and municipality("kumla").intake_user_id == users[
        "kumla"].id


def test_only_the_admin_chooses_intake_advisors(client, auth, users):
    auth.login("kumla@test.example")
    assert client.post("/admin/intake", data={"municipality": "kumla", "user_id": ""}
                       ).status_code == 403


def test_the_public_pages_need_no_login_in_both_languages(client):
    for path, swedish, english in (
            ("/inquiry", "Fråga om etablering", "Ask about establishing"),
            ("/inquiry/privacy", "Integritetsmeddelande", "Privacy notice"),
            ("/inquiry/thanks", "Tack för er etableringsförfrågan", "Thank you for your inquiry")):
        assert swedish in client.get(path + "?lang=sv").get_data(as_text=True)
        assert english in client.get(path + "?lang=en").get_data(as_text=True)


def test_the_privacy_notice_says_what_why_how_long_and_whom_to_ask(client):
    page = client.get("/inquiry/privacy?lang=en").get_data(as_text=True)
    for said in ("What we store", "public interest", "3 years", "10 years", "erased",
                 "data protection officer"):
        assert said in page


def test_the_new_web_inquiry_is_marked_in_the_list_and_the_kanban_until_opened(client,
                                                                             users):
    submit(client, municipalities=["kumla", "hallsberg"])
    [lead] = leads()
    marker = 'data-testid="new-web-inquiry"'

    def marked(path: str) -> bool:
        page = client.get(path).get_data(as_text=True)
        assert lead.codename in page  # the lead is there either way
        return marker in page

    login(client, "kumla")  # a partner with an anonymised share: the marker is not theirs
    assert not marked("/leads") and not marked("/pipeline")
    client.post("/logout")
    login(client, "orebro")
    assert marked("/leads") and marked("/pipeline")
    client.get(f"/leads/{lead.id}")
    assert not marked("/leads") and not marked("/pipeline")
