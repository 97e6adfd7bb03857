"""Issue 15's workflow in headless Chromium, as a new advisor does it: register an inquiry
(50,000 m² with a rail siding and 5 MW), open the matching sites, propose the two that fit,
see them on the lead's map, plan a visit (on the follow-up list), mark it held."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.candidates.models import CandidateSite, CandidateStatus
from app.clock import local_today
from app.extensions import db
from app.leads.models import Lead
from app.sites.models import DetaljplanStatus, RailSiding
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, make_site

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

FITS = {"land_area_m2": 60_000, "rail_siding": RailSiding.EXISTING, "power_mw": 8.0,
        "detaljplan_status": DetaljplanStatus.LAGA_KRAFT}


@pytest.fixture
def region(app, users):
    make_site("kumla", name="Rala tomt 2", **FITS)
    make_site("orebro", name="Törsjö tomt 2", lat=59.2050, lon=15.1700, **FITS)
    make_site("kumla", name="Utan spår", **(FITS | {"rail_siding": RailSiding.NONE}))
    return users


def test_register_match_propose_map_and_plan_a_visit(page, region):
    login(page, "kumla@test.example", TEST_PASSWORD)
    page.goto("/leads/new")
    page.locator("#codename").fill("Projekt Spår")
    page.locator("#description").fill("Lager och kombiterminal")
    page.locator("#land_min_m2").fill("50000")
    page.locator("#land_must").check()
    page.locator("#rail_siding").select_option("yes")
    page.locator("#rail_must").check()
    page.locator("#power_mw").fill("5")
    page.locator("form button[type=submit]", has_text="Spara").click()
    page.wait_for_url(re.compile(r".*/leads/\d+$"))
    lead = db.session.scalar(sa.select(Lead).where(Lead.codename == "Projekt Spår"))

    page.get_by_test_id("find-matches").click()
    page.wait_for_url(f"**/leads/{lead.id}/matches")
    rows = page.get_by_test_id("match-row")
    names = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
    assert sorted(names) == ["Rala tomt 2", "Törsjö tomt 2"]
    # The explanation per criterion: reached by keyboard, shown on Enter.
    summary = rows.first.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    explanation = rows.first.get_by_test_id("criteria").locator("li").first
    assert explanation.is_visible() and "Markareal" in explanation.inner_text()

    for name in ("Rala tomt 2", "Törsjö tomt 2"):
        row = page.get_by_test_id("match-row").filter(has_text=name)
        with page.expect_navigation():
            row.get_by_test_id("propose").click()
        assert "Kandidat" in page.get_by_test_id("match-row").filter(has_text=name).inner_text()

    page.goto(f"/leads/{lead.id}/map")
    page.wait_for_function("window.etableraMaps && Object.keys(window.etableraMaps).length > 0")
    tooltips = page.evaluate("""() => {
        const map = Object.values(window.etableraMaps)[0];
        const found = [];
        map.eachLayer(layer => { if (layer.getTooltip && layer.getTooltip()) {
            found.push(layer.getTooltip().getContent()); } });
        return found.map(content => typeof content === "string" ? content
                                    : (content && content.textContent) || "");
    }""")
    assert any("Rala tomt 2" in text for text in tooltips), tooltips
    assert any("Törsjö tomt 2" in text for text in tooltips), tooltips

    page.goto(f"/leads/{lead.id}")
    page.locator("summary", has_text="Planera platsbesök").click()
    form = page.get_by_test_id("plan-visit")
    for name in ("Rala tomt 2", "Törsjö tomt 2"):
        form.locator("#visit-candidates").get_by_label(name).check()
    form.locator("#visit-due_on").fill((local_today() + timedelta(days=7)).isoformat())
    form.locator("#visit-due_time").fill("10:30")
    form.locator("#visit-external").fill("Vd:n, Bolaget AB")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.get_by_test_id("visit").count() == 1

    page.goto("/followups")  # the responsible advisor's list
    assert page.get_by_text("Platsbesök: Rala tomt 2, Törsjö tomt 2").count() == 1

    page.goto(f"/leads/{lead.id}")
    with page.expect_navigation():
        page.get_by_test_id("visit-held").click()
    db.session.expire_all()
    statuses = set(db.session.scalars(sa.select(CandidateSite.status).where(
        CandidateSite.lead_id == lead.id)))
    assert statuses == {CandidateStatus.VISITED}
    assert page.get_by_test_id("offer-visit-stage").is_visible()
    assert page.external_requests == [] and page.dialogs == []
