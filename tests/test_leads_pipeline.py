"""The kanban's cards (app/leads/cards.py): what each user sees and may move, the column
limit with "show more", and the closed columns' 90 days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.clock import utcnow
from app.extensions import db
from app.leads import pipeline
from app.leads.models import ShareLevel, Stage
from tests.leads_helpers import add_followups, company_name, login, make_lead, share


def card(body: str, lead_id: int) -> str:
    start = body.index(f'data-testid="card-{lead_id}"')
    return body[start:body.index("</article>", start)]


def column(body: str, stage: str) -> str:
    start = body.index(f'data-testid="column-{stage}"')
    return body[start:body.index("</section>", start)]


def test_owner_advisor_gets_a_movable_card_with_its_next_follow_up(client, users):
    lead = make_lead(users["kumla"], "own")
    add_followups(lead, users["kumla"], -3, 5)
    login(client, "kumla")
    html = card(client.get("/pipeline").get_data(as_text=True), lead.id)
    assert 'draggable="true"' in html and f'data-url="/leads/{lead.id}/stage"' in html
    assert '<option selected value="new">' in html and 'name="version" value="1"' in html
    assert company_name("own") in html
    assert 'class="small text-danger">Nästa uppföljning:' in html  # the overdue one first


@pytest.mark.parametrize(("level", "shows_company"), [
    (ShareLevel.FULL, True), (ShareLevel.ANONYMISED, False)])
def test_a_partner_sees_a_card_it_cannot_move(client, users, level, shows_company):
    lead = make_lead(users["arboga"], "partner")
    share(lead, "kumla", level)
    login(client, "kumla")
    html = card(client.get("/pipeline").get_data(as_text=True), lead.id)
    assert "draggable" not in html and "<form" not in html
    assert (company_name("partner") in html) == shows_company


def test_a_viewer_moves_nothing(client, users):
    lead = make_lead(users["kumla"], "viewed")
    login(client, "viewer")
    html = card(client.get("/pipeline").get_data(as_text=True), lead.id)
    assert "draggable" not in html and "<form" not in html


def test_a_full_column_shows_its_newest_cards_and_links_to_the_rest(client, users, monkeypatch):
    monkeypatch.setattr(pipeline, "CARDS_PER_COLUMN", 3)
    leads = [make_lead(users["kumla"], f"many{n}", stage=Stage.QUALIFIED) for n in range(4)]
    for age, lead in enumerate(reversed(leads)):
        lead.stage_changed_at = utcnow() - timedelta(hours=age)
    db.session.commit()
    login(client, "kumla")
    html = column(client.get("/pipeline").get_data(as_text=True), "qualified")
    assert [f'data-testid="card-{lead.id}"' in html for lead in leads] == [False, True, True, True]
    assert "3+" in html and 'href="/leads?stage=qualified">Visa fler</a>' in html
    assert "Visa fler" not in column(client.get("/pipeline").get_data(as_text=True), "new")


def test_won_and_lost_show_the_last_90_days_only(client, users):
    recent = make_lead(users["kumla"], "recent", stage=Stage.WON)
    old = make_lead(users["kumla"], "old", stage=Stage.LOST)
    recent.stage_changed_at = utcnow() - timedelta(days=10)
    old.stage_changed_at = utcnow() - timedelta(days=91)
    db.session.commit()
    login(client, "kumla")
    body = client.get("/pipeline").get_data(as_text=True)
    assert f'data-testid="card-{recent.id}"' in column(body, "won")
    assert f'data-testid="card-{old.id}"' not in body


HOSTILE = '<script>alert("x")</script>'
HOSTILE_ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def test_a_card_escapes_the_typed_codename_and_company(client, users):
    own = make_lead(users["kumla"], "own")
    partner = make_lead(users["arboga"], "partner")
    share(partner, "kumla", ShareLevel.FULL)
    for lead in (own, partner):
        lead.codename = f"Projekt {HOSTILE}"
        lead.company.name = f'Bolaget "{HOSTILE}" AB'
    db.session.commit()
    login(client, "kumla")
    body = client.get("/pipeline").get_data(as_text=True)
    assert "<script>alert" not in body
    mine, theirs = card(body, own.id), card(body, partner.id)
    assert f">Projekt {HOSTILE_ESCAPED}</a>" in mine  # the title
    assert f"Skede: Projekt {HOSTILE_ESCAPED}</label>" in mine  # the move form's label
    assert f"Projekt {HOSTILE_ESCAPED} (Arboga)</a>" in theirs
    for html in (mine, theirs):
        assert f'<div class="small">Bolaget &#34;{HOSTILE_ESCAPED}&#34; AB</div>' in html


def test_a_card_shows_the_need_and_an_anonymised_badge(client, users):
    """Issue 18: cards show land need, MW and jobs, and "Anonymiserad" where the lead is
    shared anonymised; each column's count is marked for the script to update."""
    own = make_lead(users["kumla"], "behov")
    own.land_min_m2, own.land_max_m2, own.power_mw, own.expected_jobs = 50_000, None, 5.0, 120
    theirs = make_lead(users["arboga"], "anonym")
    db.session.commit()
    share(theirs, "kumla", ShareLevel.ANONYMISED)
    login(client, "kumla")
    page = client.get("/pipeline").get_data(as_text=True)
    mine = page[page.index(f'data-testid="card-{own.id}"'):][:1500]
    assert "≥ 50\u00a0000 m² · 5 MW · 120 arbetstillfällen" in mine
    other = page[page.index(f'data-testid="card-{theirs.id}"'):][:1500]
    assert ">Anonymiserad<" in other and "Anonymiserad" not in mine
    assert 'data-count="2" data-testid="count-new"' in page
