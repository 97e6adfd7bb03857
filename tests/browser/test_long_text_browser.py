"""Issue 18 in Chromium (SQLite pass): long text is never cut silently. A text area
shows how much of its limit is used, and an organisation number pasted with its century
prefix ("16556036-0793") reaches the server whole and is stored normalised."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.leads.models import Company
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def test_counters_and_a_prefixed_organisation_number(page, users):
    login(page, "kumla@test.example", TEST_PASSWORD)
    page.goto("/leads/new")
    description = page.locator("#description")
    counter = page.locator("#description-count")
    assert counter.inner_text() == f"0 / {description.get_attribute('maxlength')}"
    description.fill("Lager vid E20")
    assert counter.inner_text().startswith("13 / ")
    page.locator("#company_name").fill("Prefixbolaget AB")
    page.locator("#company_orgnr").fill("16556036-0793")
    assert page.locator("#company_orgnr").input_value() == "16556036-0793"  # not cut
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    company = db.session.scalar(sa.select(Company).where(Company.name == "Prefixbolaget AB"))
    assert company is not None and company.orgnr == "556036-0793"
