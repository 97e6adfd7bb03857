"""Issue 18 in Chromium (SQLite pass): "5,5" typed in a number field is 5.5, not 55 (a
number input dropped the comma), and "50 000" is fifty thousand."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.leads.models import Lead
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def test_swedish_numbers_typed_in_chromium_are_stored_as_meant(page, users):
    login(page, "kumla@test.example", TEST_PASSWORD)
    page.goto("/leads/new")
    page.locator("#codename").fill("Projekt Komma")
    page.locator("#description").fill("Ett lager vid E20")
    page.locator("#land_min_m2").fill("50 000")
    page.locator("#power_mw").fill("5,5")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    lead = db.session.scalar(sa.select(Lead).where(Lead.codename == "Projekt Komma"))
    assert lead is not None, page.content()[:2000]
    assert (lead.land_min_m2, lead.power_mw) == (50_000, 5.5)
