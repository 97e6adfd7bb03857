"""The start page as the advisor's desk (issue 18): follow-ups due with their Done
buttons, my open leads per skede, the latest entries in my municipality's leads, my
municipality's sites lacking key data, reservations ending; the admin's health panel.
Every figure equals the list it links to."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from app.candidates.models import CandidateSite, CandidateStatus
from app.extensions import db
from app.leads.models import Activity, ActivityKind, FollowUp, Stage
from app.mail.models import MailMessage, MailStatus
from app.reservations import service as reservations
from tests.factories import make_site, make_user
from tests.leads_helpers import add_followups, login, make_lead

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture
def on_today():
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), tick=False):
        yield


def _result_count(client, url: str) -> int:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'data-testid="result-count">(\d+) ', page)
    assert found, url
    return int(found.group(1))


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index("</div></div>", start)]


def test_the_follow_ups_due_are_on_the_desk_and_done_there(client, users, on_today):
    lead = make_lead(users["kumla"], "desk")
    add_followups(lead, users["kumla"], -3, 0, 2)
    add_followups(lead, users["hallsberg"], -1)  # someone else's
    login(client, "kumla")
    page = client.get("/").get_data(as_text=True)
    panel = _section(page, "desk-followups")
    assert "Försenade (1)" in panel and "Idag (1)" in panel
    assert "due -3" in panel and "due +0" in panel
    assert "due +2" not in panel and "due -1" not in panel
    today = db.session.query(FollowUp).filter_by(title="due +0").one()
    response = client.post(f"/followups/{today.id}/done", data={"done": "1", "next": "/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    page = client.get("/").get_data(as_text=True)
    assert "due +0" not in _section(page, "desk-followups")
    assert "Idag (0)" in _section(page, "desk-followups")
    listed = client.get("/followups").get_data(as_text=True)
    assert re.search(r'data-testid="group-overdue">\s*<h2[^>]*>Försenade <span[^>]*>1<', listed)


def test_a_viewer_has_no_follow_ups_panel(client, users):
    login(client, "viewer")
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="desk-followups"' not in page
    assert 'data-testid="desk-leads"' in page


def test_my_open_leads_per_skede_equal_the_lists_they_link_to(client, users):
    make_lead(users["kumla"], "ny 1")
    make_lead(users["kumla"], "ny 2")
    make_lead(users["kumla"], "kvalificerad", stage=Stage.QUALIFIED)
    make_lead(users["kumla"], "vunnen", stage=Stage.WON)  # closed: not counted
    colleague = make_user("kollega@test.example", "kumla")
    make_lead(colleague, "kollegans")  # not mine
    login(client, "kumla")
    page = client.get("/").get_data(as_text=True)
    panel = _section(page, "desk-leads")
    assert "Mina öppna ärenden (3)" in panel
    links = re.findall(r'href="([^"]+)" data-testid="desk-stage-(\w+)">[^<]+</a><span>(\d+)<',
                       panel)
    assert len(links) == 6
    counts = {stage: int(count) for _url, stage, count in links}
    assert counts["new"] == 2 and counts["qualified"] == 1 and counts["negotiation"] == 0
    for url, _stage, count in links:
        assert _result_count(client, url.replace("&amp;", "&")) == int(count)


def test_the_latest_entries_are_my_municipalitys_only(client, users):
    own = make_lead(users["kumla"], "egen")
    db.session.add(Activity(lead_id=own.id, kind=ActivityKind.CALL, body="Ringde <VD>\nrad två",
                            author_id=users["kumla"].id,
                            municipality_id=users["kumla"].municipality_id))
    db.session.commit()
    make_lead(users["arboga"], "arbogas", confidential=True)
    login(client, "kumla")
    page = client.get("/").get_data(as_text=True)
    panel = _section(page, "desk-latest")
    assert "Projekt egen" in panel and "Samtal" in panel
    assert "Ringde &lt;VD&gt;" in panel and "rad två" not in panel
    assert "Projekt arbogas" not in page and "Intern-arbogas" not in page


def test_my_municipalitys_sites_lacking_key_data_equal_the_list(client, users):
    make_site("kumla", name="Ofullständig A")
    make_site("kumla", name="Ofullständig B")
    make_site("hallsberg", name="Hallsbergs", lat=59.066, lon=15.11)
    login(client, "kumla")
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-testid="own-incomplete">(\d+) objekt i Kumla', page)
    assert link and link.group(2) == "2"
    listed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Ofullständig A" in listed and "Ofullständig B" in listed
    assert "Hallsbergs" not in listed


def test_reservations_ending_soon_are_on_the_desk(client, users, on_today):
    lead = make_lead(users["kumla"], "reserverad")
    site = make_site("kumla", name="Rala tomt 2")
    candidate = CandidateSite(lead_id=lead.id, site_id=site.id,
                              municipality_id=site.municipality_id,
                              status=CandidateStatus.SELECTED)
    db.session.add(candidate)
    db.session.commit()
    reservations.reserve(users["kumla"], candidate, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": TODAY + timedelta(days=20)})
    login(client, "kumla")
    panel = _section(client.get("/").get_data(as_text=True), "reservations-panel")
    assert "Rala tomt 2" in panel and "Projekt reserverad" in panel and "20 dagar kvar" in panel
    client.post("/logout")
    login(client, "arboga")
    assert 'data-testid="reservations-panel"' not in client.get("/").get_data(as_text=True)


def test_the_admins_health_panel_counts_what_its_lists_show(client, users, on_today):
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    for days_ago, status in ((1, MailStatus.FAILED), (3, MailStatus.FAILED),
                             (10, MailStatus.FAILED), (1, MailStatus.SENT)):
        db.session.add(MailMessage(recipient="x@test.example", kind="digest", subject="Ämne",
                                   locale="sv", status=status,
                                   created_at=now - timedelta(days=days_ago)))
    idle = make_user("idle@test.example", "arboga")
    idle.created_at = now - timedelta(days=200)
    idle.last_login_at = now - timedelta(days=120)
    db.session.commit()
    login(client, "admin")
    page = client.get("/").get_data(as_text=True)
    panel = _section(page, "health-panel")
    failed = re.search(r'href="([^"]+)" data-testid="health-failed-mail">(\d+) e-post', panel)
    assert failed and failed.group(2) == "2"
    log = client.get(failed.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.findall(r'data-status="(\w+)"', log) == ["failed", "failed"]
    assert "Schemaläggaren har aldrig körts" in panel
    idle_link = re.search(r'href="([^"]+)" data-testid="health-idle-users">(\d+) aktiv', panel)
    users_page = client.get(idle_link.group(1)).get_data(as_text=True)
    assert "idle@test.example" in users_page and "kumla@test.example" not in users_page
    assert users_page.count("<tr>") - 1 == int(idle_link.group(2))
    client.post("/logout")
    login(client, "kumla")
    assert 'data-testid="health-panel"' not in client.get("/").get_data(as_text=True)
