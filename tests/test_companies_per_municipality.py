"""Company records belong to a municipality and contacts to the lead they were added on
(issue 12, item 1); codenames are unique per municipality (item 7). Each regression test
is named after the leak it closes."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.leads.models import Company, Contact, Lead, ShareLevel, Stage
from tests.leads_helpers import (
    bearer,
    company_name,
    login,
    make_lead,
    share,
)


def test_partner_cannot_link_or_edit_the_owners_company_through_the_api(client, users, tokens):
    secret = make_lead(users["hallsberg"], "secret", confidential=True)
    share(secret, "kumla", ShareLevel.FULL)
    linked = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]), json={
        "codename": "Kapat", "source": "web_form",
                             "description": "Lagerbehov", "company_id": secret.company_id})
    missing = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]), json={
        "codename": "Kapat", "source": "web_form", "description": "Lagerbehov", "company_id": 999_999})
    assert linked.status_code == missing.status_code == 422
    assert linked.json == missing.json  # the same answer as an id that does not exist
    assert db.session.scalar(sa.select(Lead).where(Lead.codename == "Kapat")) is None
    login(client, "kumla")
    assert client.get(f"/companies/{secret.company_id}/edit").status_code == 403
    renamed = client.post(f"/companies/{secret.company_id}/edit", data={
        "name": "Omdöpt AB", "country": "Sverige", "version": "1"})
    assert renamed.status_code == 403
    db.session.expire_all()
    assert db.session.get(Company, secret.company_id).name == company_name("secret")


def test_partner_cannot_link_the_owners_company_through_the_lead_form(client, users):
    secret = make_lead(users["hallsberg"], "secret", confidential=True)
    share(secret, "kumla", ShareLevel.FULL)
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "codename": "Kapat",
                                               "link_company_id": str(secret.company_id)})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(Lead).where(Lead.codename == "Kapat")) is None


def test_contacts_added_after_a_revoked_share_never_show_to_the_partner(client, users, tokens):
    owned = make_lead(users["hallsberg"], "owned", confidential=True)
    share(owned, "kumla", ShareLevel.FULL)
    created = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]), json={
        "codename": "Partnerns", "source": "web_form",
                                 "description": "Lagerbehov", "company_id": owned.company_id})
    partner_lead = created.json["id"] if created.status_code == 201 else make_lead(
        users["kumla"], "partner").id
    login(client, "hallsberg")
    assert client.post(f"/leads/{owned.id}/shares/revoke",
                       data={"municipality": "kumla"}).status_code == 302
    assert client.post(f"/leads/{owned.id}/contacts",
                       data={"name": "Sen Kontakt"}).status_code == 302
    assert db.session.scalar(sa.select(Contact.lead_id)) == owned.id
    client.post("/logout")
    login(client, "kumla")
    for url in (f"/leads/{partner_lead}", "/companies", f"/api/v1/leads/{partner_lead}"):
        assert "Sen Kontakt" not in client.get(url, headers=bearer(tokens["kumla"])).get_data(
            as_text=True), url


def test_contact_on_a_confidential_lead_does_not_show_to_the_admin_on_another_lead_of_the_company(
        client, users):
    secret = make_lead(users["hallsberg"], "secret", confidential=True)
    open_lead = make_lead(users["hallsberg"], "open", company=False)
    open_lead.company_id = secret.company_id
    db.session.commit()
    login(client, "hallsberg")
    client.post(f"/leads/{secret.id}/contacts", data={"name": "Hemlig Kontakt"})
    client.post(f"/leads/{open_lead.id}/contacts", data={"name": "Öppen Kontakt"})
    # the owner sees the company's contacts on both of its leads
    assert "Hemlig Kontakt" in client.get(f"/leads/{open_lead.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, "admin")
    page = client.get(f"/leads/{open_lead.id}").get_data(as_text=True)
    assert company_name("secret") in page and "Öppen Kontakt" in page
    assert "Hemlig Kontakt" not in page


def test_admin_cannot_edit_another_municipalitys_company(client, users):
    lead = make_lead(users["hallsberg"], "theirs")
    login(client, "admin")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert company_name("theirs") in page and 'data-testid="edit-company"' not in page
    assert client.get(f"/companies/{lead.company_id}/edit").status_code == 403
    posted = client.post(f"/companies/{lead.company_id}/edit", data={
        "name": "Admins namn AB", "country": "Sverige", "version": "1"})
    assert posted.status_code == 403
    db.session.expire_all()
    assert db.session.get(Company, lead.company_id).name == company_name("theirs")


def test_admin_edits_own_municipalitys_company(client, users):
    lead = make_lead(users["orebro"], "ours")
    login(client, "admin")
    posted = client.post(f"/companies/{lead.company_id}/edit", data={
        "name": "Vårt namn AB", "country": "Sverige", "version": "1"})
    assert posted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Company, lead.company_id).name == "Vårt namn AB"


def test_a_new_company_joins_the_register_of_the_leads_municipality(client, users, tokens):
    created = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]), json={
        "codename": "Nytt", "source": "web_form",
                            "description": "Lagerbehov", "company": {"name": "Nybolaget AB"}})
    assert created.status_code == 201
    company = db.session.scalar(sa.select(Company).where(Company.name == "Nybolaget AB"))
    assert company.municipality_id == users["kumla"].municipality_id


def test_the_same_organisation_number_may_exist_once_per_municipality(client, users):
    theirs = make_lead(users["hallsberg"], "theirs").company
    theirs.orgnr = "556016-0680"
    ours = make_lead(users["kumla"], "ours").company
    db.session.commit()
    login(client, "kumla")
    response = client.post(f"/companies/{ours.id}/edit", data={
        "name": ours.name, "orgnr": "556016-0680", "country": "Sverige", "version": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Company, ours.id).orgnr == "556016-0680"


# --- codenames (item 7) -------------------------------------------------------------------


def test_codename_of_other_municipalitys_confidential_lead_is_no_oracle(client, users, tokens):
    make_lead(users["arboga"], "hemlig", confidential=True)  # codename "Projekt hemlig"
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "codename": "Projekt hemlig"})
    assert response.status_code == 302
    assert "already" not in response.get_data(as_text=True)
    make_lead(users["arboga"], "hemlig2", confidential=True)
    api = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]),
                      json={"codename": "Projekt hemlig2", "source": "direct", "description": "Lagerbehov"})
    assert api.status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lead).where(
        Lead.codename.like("Projekt hemlig%"))) == 4


def test_codename_is_unique_within_the_own_municipality(client, users):
    make_lead(users["kumla"], "egen")
    login(client, "kumla")
    response = client.post("/leads/new", data={"source": "direct",
                                               "description": "Lagerbehov", "codename": "Projekt egen"})
    assert response.status_code == 422
    assert "Ett annat ärende har redan detta kodnamn." in response.get_data(as_text=True)


def test_suggested_codenames_avoid_only_the_own_municipalitys_codenames(app, users):
    from app.leads.commands import suggest_codename

    first = suggest_codename(users["kumla"].municipality_id)
    make_lead(users["arboga"], "x").codename = first
    db.session.commit()
    assert suggest_codename(users["kumla"].municipality_id) == first
    make_lead(users["kumla"], "y").codename = first
    db.session.commit()
    assert suggest_codename(users["kumla"].municipality_id) != first


# --- the regional duplicate hint ------------------------------------------------------------

ORGNR = "556016-0680"


def _with_orgnr(lead: Lead) -> Lead:
    lead.company.orgnr = ORGNR
    db.session.commit()
    return lead


def test_registering_an_orgnr_of_another_municipalitys_open_matter_shows_a_hint(
        client, users, tokens):
    _with_orgnr(make_lead(users["hallsberg"], "x"))
    login(client, "kumla")
    response = client.post("/leads/new", follow_redirects=True, data={
        "source": "direct", "description": "Lagerbehov", "codename": "Vårt", "company_name": "Vårt Bolag AB",
        "company_orgnr": "5560160680"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (f"Hallsberg har ett pågående ärende med detta företag (Projekt x, handläggare: "
            f"{users['hallsberg'].name})") in page
    api = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]), json={
        "codename": "Vårt 2", "source": "direct", "description": "Lagerbehov",
        "company": {"name": "Vårt Bolag AB", "orgnr": ORGNR}})
    assert api.status_code == 201 and len(api.json["regional_hints"]) == 1


def test_a_confidential_matter_never_produces_a_regional_hint(client, users, tokens):
    _with_orgnr(make_lead(users["hallsberg"], "hemlig", confidential=True))
    _with_orgnr(make_lead(users["arboga"], "vunnen", stage=Stage.WON))  # closed: no hint
    login(client, "kumla")
    answers = []
    for n, orgnr in enumerate(["5560160680", "5560360793"]):  # taken (confidential) / unused
        response = client.post("/leads/new", data={
            "source": "direct",
            "description": "Lagerbehov", "codename": f"Vårt {n}", "company_name": f"Bolag {n} AB",
            "company_orgnr": orgnr})
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, page))
        api = client.post("/api/v1/leads", headers=bearer(tokens["kumla"]), json={
            "codename": f"API {n}", "source": "direct", "description": "Lagerbehov",
            "company": {"name": f"API {n} AB", "orgnr": orgnr}})
        assert api.status_code == 201 and api.json["regional_hints"] == []
    assert answers[0][0] == answers[1][0] == 302
    for _status, page in answers:  # the same messages for a confidential match as for none
        assert "pågående ärende" not in page and "Projekt hemlig" not in page
        assert 'alert alert-info" role="alert"' not in page


def test_another_municipalitys_codename_is_shown_with_its_municipality(client, users):
    theirs = make_lead(users["hallsberg"], "samma")
    share(theirs, "kumla", ShareLevel.ANONYMISED)
    ours = make_lead(users["kumla"], "samma2")
    ours.codename = "Projekt samma"  # the same codename in two municipalities
    db.session.commit()
    from tests.leads_helpers import add_followups

    add_followups(theirs, users["kumla"], 1)
    login(client, "kumla")
    for url in ("/leads", "/pipeline", f"/leads/{theirs.id}", "/followups"):
        page = client.get(url).get_data(as_text=True)
        assert "Projekt samma (Hallsberg)" in page, url
    own = client.get(f"/leads/{ours.id}").get_data(as_text=True)
    assert "<title>Projekt samma" in own and "Projekt samma (Kumla)" not in own
