"""The kanban board in headless Chromium: drag and drop and the keyboard alternative."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.leads.models import Activity, ActivityKind, Lead, Stage
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def board(app, runner, page):
    page.set_viewport_size({"width": 2400, "height": 1000})  # every column on screen
    runner.invoke(args=["seed-demo"])
    lead = db.session.scalar(
        db.select(Lead).join(Lead.owner).where(Lead.stage == Stage.NEW,
                                               Lead.owner.has(email="kumla@logistikregionen.example"))
        .order_by(Lead.id))
    assert lead is not None
    return lead


def test_dragging_a_card_to_another_column_changes_the_stage(page, board):
    version = board.version
    login(page, "kumla@logistikregionen.example")
    page.goto("/pipeline")
    counts = {stage: int(page.get_by_test_id(f"count-{stage}").get_attribute("data-count"))
              for stage in ("new", "qualified")}
    card = page.get_by_test_id(f"card-{board.id}")
    target = page.get_by_test_id("column-qualified")
    card.drag_to(target)
    page.wait_for_function(
        "id => document.querySelector('[data-testid=column-qualified] [data-testid=card-' + id + ']')",
        arg=board.id)
    # the shown counts follow the move, and the status says the stage's name, not its code
    assert page.get_by_test_id("count-new").inner_text().rstrip("+") == str(counts["new"] - 1)
    assert page.get_by_test_id("count-qualified").inner_text().rstrip("+") == str(
        counts["qualified"] + 1)
    status = page.locator("#pipeline-status").inner_text()
    assert status.endswith(": Behovsanalys") and "qualified" not in status
    db.session.expire_all()
    lead = db.session.get(Lead, board.id)
    assert lead.stage == Stage.QUALIFIED and lead.version == version + 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Activity).where(
        Activity.lead_id == lead.id, Activity.kind == ActivityKind.STAGE_CHANGE,
        Activity.to_stage == Stage.QUALIFIED)) == 1
    page.reload()
    assert page.get_by_test_id("column-qualified").get_by_test_id(f"card-{board.id}").count() == 1
    assert page.external_requests == [] and page.dialogs == []


def test_dropping_on_won_opens_the_form_for_its_data(page, board):
    login(page, "kumla@logistikregionen.example")
    page.goto("/pipeline")
    page.get_by_test_id(f"card-{board.id}").drag_to(page.get_by_test_id("column-won"))
    page.wait_for_url(f"**/leads/{board.id}/stage?stage=won")
    assert page.locator("#decided_on").count() == 1
    db.session.expire_all()
    assert db.session.get(Lead, board.id).stage == Stage.NEW


def test_keyboard_alternative_moves_a_card(page, board):
    login(page, "kumla@logistikregionen.example")
    page.goto("/pipeline")
    select = page.locator(f"#stage-{board.id}")
    select.focus()
    select.select_option("site_visit")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "site_visit" in page.get_by_test_id("column-site_visit").get_by_test_id(
        f"card-{board.id}").locator("select").input_value()
    db.session.expire_all()
    assert db.session.get(Lead, board.id).stage == Stage.SITE_VISIT
