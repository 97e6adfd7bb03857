"""A company finds a site, asks about it in the public form (Swedish and English), gets
a receipt; the intake advisor sees the lead with the site as a proposed candidate and a
notification. Headless Chromium against a live server."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.candidates.models import CandidateSite
from app.extensions import db
from app.notifications.models import Notification
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, make_site, municipality
from tests.intake_helpers import leads
from tests.mailbox import text_part

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


@pytest.fixture
def app_overrides() -> dict:
    return {"INTAKE_MIN_FILL_SECONDS": 0, "INTAKE_RATE_LIMIT": "100 per minute"}


def fill(page, labels: dict[str, str]) -> None:
    for label, value in labels.items():
        page.get_by_label(label, exact=True).fill(value)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_company_asks_about_a_site_and_the_intake_advisor_sees_it(
        page, users, outbox, lang):
    municipality("hallsberg").intake_user_id = users["hallsberg"].id
    db.session.commit()
    site = make_site("hallsberg", name="Rala etapp 2", lat=59.07, lon=15.11, public=True)
    page.goto(f"/inquiry?site={site.id}&lang={lang}")
    english = lang == "en"
    assert page.get_by_test_id("site-asked-about").is_visible()
    fill(page, {
        ("Company name" if english else "Företagets namn"): "Nordlager AB",
        ("Your name" if english else "Ditt namn"): "Stina Svensson",
        ("E-mail" if english else "E-post"): "stina@nordlager.example",
        ("What do you plan?" if english else "Vad planerar ni?"): "Ett lager med industrispår.",
        ("Land area (m²)" if english else "Markareal (m²)"): "60 000",
    })
    assert page.get_by_label("Hallsberg").is_checked()  # the site's municipality
    page.locator("#consent").check()
    page.get_by_role("button", name="Send the inquiry" if english
                     else "Skicka etableringsförfrågan").click()
    page.get_by_test_id("thanks").wait_for()
    [lead] = leads()
    assert lead.municipality.slug == "hallsberg" and lead.owner_id == users["hallsberg"].id
    [candidate] = db.session.scalars(sa.select(CandidateSite)).all()
    assert candidate.site_id == site.id
    [receipt] = [m for m in outbox.messages() if m["To"] == "stina@nordlager.example"]
    assert lead.inquiry_reference in text_part(receipt)
    assert ("Thank you" if english else "Tack") in text_part(receipt)

    login(page, "hallsberg@test.example", TEST_PASSWORD)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.kind == "web_inquiry", Notification.user_id == users["hallsberg"].id)) == 1
    page.get_by_test_id("bell").click()
    page.get_by_text(f"Ny webbförfrågan: {lead.codename}").first.wait_for()
    page.goto(f"/leads/{lead.id}")
    page.get_by_test_id("new-web-inquiry").wait_for()
    assert page.get_by_text("Rala etapp 2").first.is_visible()


def test_the_language_switch_and_the_privacy_link(page):
    page.goto("/inquiry")
    page.get_by_role("link", name="In English").click()
    page.get_by_role("heading", name="Ask about establishing in Logistikregionen").wait_for()
    page.get_by_test_id("privacy-link").click()
    page.get_by_role("heading", name="Privacy notice for inquiries").wait_for()
    page.get_by_role("link", name="På svenska").click()
    page.get_by_role("heading", name="Integritetsmeddelande för etableringsförfrågningar"
                     ).wait_for()
