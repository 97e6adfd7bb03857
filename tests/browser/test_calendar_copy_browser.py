"""Issue 18 in Chromium (SQLite pass): the calendar link, shown once, has a copy button
that puts exactly that link on the clipboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def test_the_calendar_link_is_copied_with_one_click(page, live_server, users):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, "kumla@test.example", TEST_PASSWORD)
    page.goto("/profile")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa en kalenderlänk").click()
    url = page.get_by_test_id("calendar-url").input_value()
    assert "/calendar/" in url
    page.get_by_test_id("copy-calendar-url").click()
    page.get_by_test_id("copy-calendar-url").filter(has_text="Kopierad").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == url
