"""Issue 16's prospect pack in headless Chromium (SQLite pass): an advisor makes a pack on
the lead page; a fresh browser context (the company, not logged in) opens the link, prints
it to PDF, and every site's name is in the PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.candidates.models import CandidateSite, CandidateStatus
from app.extensions import db
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, make_site
from tests.leads_helpers import make_lead

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

SITES = ("Rala tomt 2", "Viby industriområde", "Kumla Nord etapp 3")


def test_the_company_opens_and_prints_its_pack(browser, page, live_server, users):
    lead = make_lead(users["kumla"], "tryck")
    for n, name in enumerate(SITES):
        site = make_site("kumla", name=name, lat=59.13 + n * 0.01, lon=15.11 + n * 0.01)
        db.session.add(CandidateSite(lead_id=lead.id, site_id=site.id,
                                     municipality_id=site.municipality_id,
                                     status=CandidateStatus.PROPOSED))
    db.session.commit()

    login(page, "kumla@test.example", TEST_PASSWORD)
    page.goto(f"/leads/{lead.id}")
    page.locator("summary", has_text="Skapa ett platspaket till företaget").click()
    form = page.get_by_test_id("make-pack")
    for name in SITES:
        form.locator("#pack-candidates").get_by_label(name).check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    link = page.get_by_test_id("pack-link").input_value()
    assert "/p/" in link

    company = browser.new_context(locale="sv-SE")  # no session: the link is the key
    try:
        visitor = company.new_page()
        requests: list[str] = []
        visitor.on("request", lambda request: requests.append(request.url))
        visitor.goto(link)
        assert visitor.get_by_test_id("pack-site").count() == len(SITES)
        assert requests == [link]  # nothing else is fetched: the map is inline
        pdf = visitor.pdf(format="A4")
    finally:
        company.close()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for name in SITES:
        assert name in text, name
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= len(SITES) + 1  # the cover, a page each
    assert "Projekt tryck" not in text  # never the lead's codename
