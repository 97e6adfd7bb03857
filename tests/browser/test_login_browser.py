import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_kumla_advisor_logs_in_sees_swedish_start_page_and_logs_out(page, runner):
    runner.invoke(args=["seed-demo"])
    login(page, "kumla@logistikregionen.example")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Välkommen, Karin Kumla"
    assert "Kumla" in page.get_by_test_id("current-user").inner_text()
    page.get_by_role("button", name="Logga ut").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Logga in i Etablera"
    page.goto("/")
    assert "/login" in page.url
    assert page.external_requests == []
    assert page.dialogs == []


def test_wrong_password_shows_the_swedish_message(page, runner):
    runner.invoke(args=["seed-demo"])
    login(page, "kumla@logistikregionen.example", "not-the-password")
    assert page.get_by_role("alert").inner_text() == "Fel e-postadress eller lösenord."
