"""Issue 17's round trip in headless Chromium (SQLite pass): Kumla shares a lead with
Hallsberg anonymised, then in full; Hallsberg sees it on its start page and answers
"Intresserad" with a comment; Kumla sees the answer on its start page, in its bell, in
the lead's timeline and by e-mail."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.leads_helpers import company_name, make_lead
from tests.mailbox import text_part

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def _share(page, lead_id: int, level: str) -> None:
    page.goto(f"/leads/{lead_id}")
    form = page.locator(f"form[action='/leads/{lead_id}/shares']")
    form.locator("fieldset", has_text="Kommuner").get_by_label("Hallsberg").check()
    form.locator("select[name=level]").select_option(label=level)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_kumla_shares_hallsberg_answers_kumla_learns_it(browser, live_server, users, outbox):
    lead = make_lead(users["kumla"], "rundtur")
    kumla = browser.new_context(locale="sv-SE", base_url=live_server.url)
    hallsberg = browser.new_context(locale="sv-SE", base_url=live_server.url)
    try:
        owner = kumla.new_page()
        login(owner, "kumla@test.example", TEST_PASSWORD)
        _share(owner, lead.id, "Anonymiserad")
        _share(owner, lead.id, "Fullständig")
        shared = [m for m in outbox.messages() if m["To"].addresses[0].addr_spec
                  == "hallsberg@test.example"]
        assert [m["Subject"] for m in shared] == [
            "Kumla delade Projekt rundtur med er kommun (Anonymiserad)",
            "Kumla delade Projekt rundtur med er kommun (Fullständig)"]

        partner = hallsberg.new_page()
        login(partner, "hallsberg@test.example", TEST_PASSWORD)
        partner.goto("/")
        assert partner.get_by_test_id("unread").inner_text() == "2"
        awaiting = partner.get_by_test_id("awaiting")
        assert "Projekt rundtur" in awaiting.inner_text()
        with partner.expect_navigation():
            awaiting.get_by_role("link", name="Projekt rundtur").click()
        form = partner.locator(f"form[action='/leads/{lead.id}/response']")
        form.locator("select[name=response]").select_option(label="Intresserad")
        form.locator("[name=comment]").fill("Vi har 12 ha vid terminalen")
        with partner.expect_navigation():
            form.locator("button[type=submit]").click()

        owner.goto("/")
        answers = owner.get_by_test_id("answers")
        assert "Projekt rundtur" in answers.inner_text() and "Hallsberg" in answers.inner_text()
        assert owner.get_by_test_id("unread").inner_text() == "1"
        owner.get_by_test_id("bell").click()
        item = owner.get_by_test_id("notification").first
        assert "Hallsberg svarade på Projekt rundtur: Intresserad" in item.inner_text()
        with owner.expect_navigation():
            item.locator("button[type=submit]").click()
        timeline = owner.locator("#timeline").inner_text()
        assert "Hallsberg svarade: Intresserad" in timeline
        assert "Vi har 12 ha vid terminalen" in timeline
        assert "Delat med Hallsberg (Anonymiserad)" in timeline
        assert "Delningen med Hallsberg är nu Fullständig" in timeline
        assert owner.get_by_test_id("unread").count() == 0  # opened: read
    finally:
        kumla.close()
        hallsberg.close()

    answered = [m for m in outbox.messages()
                if m["To"].addresses[0].addr_spec == "kumla@test.example"]
    assert [m["Subject"] for m in answered] == [
        "Hallsberg svarade på Projekt rundtur: Intresserad"]
    assert f"/leads/{lead.id}#timeline" in text_part(answered[0])
    assert all(company_name("rundtur") not in m.as_string() for m in outbox.messages())


def test_at_offers_colleagues_and_the_chosen_one_is_mentioned(page, users):
    import sqlalchemy as sa

    from app.extensions import db
    from app.leads.models import ActivityMention
    from tests.factories import make_user

    colleague = make_user("kumla2@test.example", "kumla", "advisor", name="Zelda Berg")
    make_user("ar2@test.example", "arboga", "advisor", name="Zelda Arboga")
    lead = make_lead(users["kumla"], "nämna")
    login(page, "kumla@test.example", TEST_PASSWORD)
    page.goto(f"/leads/{lead.id}")
    body = page.locator("#timeline textarea")
    body.click()
    body.type("Ring @Zel")
    options = page.locator("#timeline [role=option]")
    options.first.wait_for()
    assert options.all_inner_texts() == ["Zelda Berg"]  # never Arboga's Zelda
    body.press("ArrowDown")
    body.press("Enter")
    assert body.input_value() == "Ring @Zelda Berg "
    body.type("om elnätet")
    with page.expect_navigation():
        page.locator("#timeline button[type=submit]").click()
    assert db.session.scalar(sa.select(ActivityMention.user_id)) == colleague.id
    assert "@Zelda Berg" in page.get_by_test_id("mentions").inner_text()
