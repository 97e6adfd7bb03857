"""The match page, proposing from it, and the candidates on the lead page (issue 15)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.candidates.models import CandidateSite, CandidateStatus
from app.extensions import db
from app.leads.models import LeadShare, ShareLevel
from app.sites.models import RailSiding
from tests.factories import make_site
from tests.leads_helpers import login, make_lead, share


def _token(page: str, name: str) -> str:
    """A hidden field's value from the page ("" for the CSRF token, off in the tests)."""
    found = re.search(rf'name="{name}"[^>]*value="([^"]+)"', page)
    assert found or name == "csrf_token", name
    return found.group(1) if found else ""


@pytest.fixture
def lead(users):
    lead = make_lead(users["kumla"], "matchning")
    lead.land_min_m2, lead.land_max_m2, lead.land_must = 50_000, None, True
    lead.rail_siding, lead.power_mw = True, 5
    db.session.commit()
    return lead


@pytest.fixture
def sites(app):
    return {
        "fits": make_site("kumla", name="Via 3", land_area_m2=60_000,
                          rail_siding=RailSiding.EXISTING, power_mw=6),
        "small": make_site("kumla", name="Lilla tomten", land_area_m2=10_000),
        "partner": make_site("hallsberg", name="Rala tomt 2", land_area_m2=120_000,
                             rail_siding=RailSiding.EXISTING, lat=59.07, lon=15.11),
        "hostile": make_site("orebro", name='<script>alert("x")</script>', land_area_m2=80_000,
                             lat=59.27, lon=15.21),
    }


def test_the_match_page_ranks_fitting_sites_and_lists_the_rest_with_reasons(client, lead, sites):
    login(client, "kumla")
    response = client.get(f"/leads/{lead.id}/matches")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = re.findall(r'data-testid="match-row" data-site-id="(\d+)"', page)
    assert rows[:2] == [str(sites["fits"].id), str(sites["partner"].id)]
    assert str(sites["small"].id) not in rows
    assert "Passar inte (1): visa varför" in page and 'data-testid="unfit"' not in page
    page = client.get(f"/leads/{lead.id}/matches?unfit=1").get_data(as_text=True)
    unfit = page[page.index('data-testid="unfit"'):]
    assert "Lilla tomten" in unfit and "Markareal 10\u00a0000 m², önskat ≥ 50\u00a0000 m²" in unfit
    assert "Effekt okänd (behov 5 MW)" in page  # Rala: unknown power, explained


def test_user_text_is_escaped_in_the_table_and_the_map(client, lead, sites):
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}/matches").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_proposing_from_the_match_page_shows_the_candidate_on_the_lead_page(client, lead, sites,
                                                                              outbox):
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}/matches").get_data(as_text=True)
    for site in (sites["fits"], sites["partner"]):
        response = client.post(f"/leads/{lead.id}/candidates", data={
            "csrf_token": _token(page, "csrf_token"),
            "submission_token": _token(page, "submission_token") + str(site.id),
            "site_id": site.id, "next": f"/leads/{lead.id}/matches"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/leads/{lead.id}/matches")
    show = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert re.findall(r'data-testid="candidate" data-site-id="(\d+)"', show) == [
        str(sites["fits"].id), str(sites["partner"].id)]
    # Rala is Hallsberg's: the lead is now shared with Hallsberg, anonymised
    assert db.session.scalar(sa.select(LeadShare.level).where(
        LeadShare.lead_id == lead.id)) == ShareLevel.ANONYMISED
    matches = client.get(f"/leads/{lead.id}/matches").get_data(as_text=True)
    assert matches.count('data-testid="propose"') == 1  # only the site not yet proposed


def test_the_owner_changes_a_candidates_status_and_a_bad_change_says_why(client, users, lead,
                                                                          sites):
    candidate = CandidateSite(lead_id=lead.id, site_id=sites["fits"].id,
                              municipality_id=sites["fits"].municipality_id)
    db.session.add(candidate)
    db.session.commit()
    login(client, "kumla")
    show = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    csrf = _token(show, "csrf_token")
    refused = client.post(f"/candidates/{candidate.id}", data={
        "csrf_token": csrf, "version": 1, "status": "rejected", "reason": ""},
        follow_redirects=True)
    assert "Ange varför objektet väljs bort." in refused.get_data(as_text=True)
    assert db.session.get(CandidateSite, candidate.id).status == CandidateStatus.PROPOSED
    client.post(f"/candidates/{candidate.id}", data={
        "csrf_token": csrf, "version": 1, "status": "selected", "reason": "", "note": "Bäst"})
    db.session.expire_all()
    stored = db.session.get(CandidateSite, candidate.id)
    assert (stored.status, stored.note, stored.version) == (CandidateStatus.SELECTED, "Bäst", 2)
    stale = client.post(f"/candidates/{candidate.id}", data={
        "csrf_token": csrf, "version": 1, "status": "rejected", "reason": "x"},
        follow_redirects=True)
    assert "Någon annan har ändrat" in stale.get_data(as_text=True)
    assert db.session.get(CandidateSite, candidate.id).status == CandidateStatus.SELECTED


def test_a_partner_sees_only_its_own_candidates_and_proposes_only_its_own_sites(
        client, users, lead, sites):
    share(lead, "hallsberg", ShareLevel.ANONYMISED)
    db.session.add(CandidateSite(lead_id=lead.id, site_id=sites["fits"].id,
                                 municipality_id=sites["fits"].municipality_id))
    db.session.commit()
    login(client, "hallsberg")
    show = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert 'data-testid="candidate"' not in show
    page = client.get(f"/leads/{lead.id}/matches").get_data(as_text=True)
    proposable = re.findall(r'name="site_id" value="(\d+)"', page)
    assert proposable == [str(sites["partner"].id)]
    response = client.post(f"/leads/{lead.id}/candidates", data={
        "csrf_token": _token(page, "csrf_token"), "submission_token": "t-1",
        "site_id": sites["hostile"].id})
    assert response.status_code == 403


def test_someone_who_does_not_see_the_lead_gets_404(client, users, lead, sites):
    login(client, "arboga")
    assert client.get(f"/leads/{lead.id}/matches").status_code == 404


def test_the_lead_map_shows_the_candidates_the_user_may_see(app, client, users, lead, sites):
    for site in (sites["fits"], sites["hostile"]):
        db.session.add(CandidateSite(lead_id=lead.id, site_id=site.id,
                                     municipality_id=site.municipality_id))
    db.session.commit()
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}/map").get_data(as_text=True)
    listed = page[page.index('data-testid="map-candidates"'):]
    assert "Via 3 · Föreslaget" in listed
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; · Föreslaget" in listed
    assert '<script>alert("x")</script>' not in page
    assert page.count("Föreslaget") >= 3  # the list, and the markers' tooltips on the map
    share(lead, "hallsberg", ShareLevel.ANONYMISED)
    other = app.test_client()
    login(other, "hallsberg")
    partner = other.get(f"/leads/{lead.id}/map").get_data(as_text=True)
    assert partner.count("data-testid=\"map\"") == 1
    assert "Via 3" not in partner


def _visit_form_page(client, lead):
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    form = page[page.index('data-testid="plan-visit"'):]
    return page, form


def test_a_planned_visit_is_a_follow_up_and_holding_it_moves_candidates_and_offers_the_stage(
        client, users, lead, sites):
    first, second = (CandidateSite(lead_id=lead.id, site_id=sites[k].id,
                                   municipality_id=sites[k].municipality_id)
                     for k in ("fits", "partner"))
    db.session.add_all([first, second])
    share(lead, "hallsberg", ShareLevel.FULL)
    login(client, "kumla")
    page, form = _visit_form_page(client, lead)
    response = client.post(f"/leads/{lead.id}/visits", data={
        "csrf_token": _token(form, "csrf_token"), "submission_token": _token(form, "submission_token"),
        "candidates": [first.id, second.id], "due_on": "2027-01-12", "due_time": "10:30",
        "assignee": users["kumla"].id, "participants": [users["hallsberg"].id],
        "external": "Företagets vd"})
    assert response.status_code == 302
    from app.candidates.models import SiteVisit
    from app.leads.models import Activity, ActivityKind, FollowUp
    visit = db.session.scalars(sa.select(SiteVisit)).one()
    followup = db.session.get(FollowUp, visit.followup_id)
    assert (followup.due_on.isoformat(), followup.due_time.isoformat(), followup.assignee_id) == (
        "2027-01-12", "10:30:00", users["kumla"].id)
    assert followup.title == "Platsbesök: Via 3, Rala tomt 2"
    listed = client.get("/followups").get_data(as_text=True)
    assert "10:30 · Platsbesök: Via 3, Rala tomt 2" in listed
    show = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert 'data-testid="offer-visit-stage"' not in show
    held = client.post(f"/visits/{visit.id}/held", data={"csrf_token": _token(show, "csrf_token")})
    assert held.status_code == 302
    db.session.expire_all()
    assert {c.status for c in db.session.scalars(sa.select(CandidateSite))} == {
        CandidateStatus.VISITED}
    assert db.session.get(FollowUp, visit.followup_id).done_at is not None
    entry = db.session.scalars(sa.select(Activity).where(Activity.kind == ActivityKind.SITE_VISIT)).one()
    assert "Via 3, Rala tomt 2" in entry.body and "Företagets vd" in entry.body
    after = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    offer = after[after.index('data-testid="offer-visit-stage"'):]
    stage = client.post(f"/leads/{lead.id}/stage", data={
        "csrf_token": _token(offer, "csrf_token"), "version": _token(offer, "version"),
        "stage": "site_visit"})
    assert stage.status_code == 302
    db.session.expire_all()
    from app.leads.models import Lead
    assert db.session.get(Lead, lead.id).stage.value == "site_visit"


def test_a_visit_needs_a_time_and_participants_who_see_the_lead(client, users, lead, sites):
    candidate = CandidateSite(lead_id=lead.id, site_id=sites["fits"].id,
                              municipality_id=sites["fits"].municipality_id)
    db.session.add(candidate)
    db.session.commit()
    login(client, "kumla")
    _page, form = _visit_form_page(client, lead)
    response = client.post(f"/leads/{lead.id}/visits", data={
        "csrf_token": _token(form, "csrf_token"), "submission_token": _token(form, "submission_token"),
        "candidates": [candidate.id], "due_on": "2027-01-12", "due_time": "",
        "assignee": users["kumla"].id, "participants": [users["arboga"].id]},
        follow_redirects=True)
    assert response.status_code == 200
    from app.candidates.models import SiteVisit
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SiteVisit)) == 0
