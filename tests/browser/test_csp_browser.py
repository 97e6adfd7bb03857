"""No page breaks the Content-Security-Policy in headless Chromium (issue 12, item 9).

The pages come from `app.url_map`: every GET rule, its arguments filled from demo data
created here. A rule that can be neither filled nor is in SKIP fails the test, so a new
page is covered (or consciously skipped) without editing this file. Every page is loaded
anonymously, as an advisor and as the admin; then a map popup is opened by a click on a
marker and a kanban card is dragged. `securitypolicyviolation` events and
Chromium's CSP console messages must stay at 0.

Database-independent: marked `sqlite_only` (skipped when TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.service import INVITATION, RESET, make_password_token, send_password_reset
from app.calendar_feed.service import renew_secret
from app.candidates.models import CandidateSite
from app.extensions import db
from app.leads.models import Lead, Stage
from app.mail.models import MailMessage
from app.packs.service import make_pack, packable_candidates
from app.sites.models import LogisticsNode, Site
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

ADVISOR = "kumla@logistikregionen.example"
ADMIN = "admin@logistikregionen.example"
# Whose password tokens the /reset/<token> and /invitation/<token> pages get.
TOKEN_USER = "viewer@logistikregionen.example"

# Endpoints not loaded as pages, with the reason.
SKIP = {
    "static": "our own files, not pages (the pages that load them are covered)",
    "leads.export_csv": "a download, not a page",
    "leads.export_xlsx": "a download, not a page",
    "sites.export_sites": "a download (CSV or XLSX), not a page",
    "calendar_feed.feed": "an iCalendar download, not a page",
    "exports.download": "an XLSX download, not a page",
    "reports.download": "a report table's CSV or XLSX download, not a page",
    "privacy.export_contact": "a contact's personal data as a JSON download, not a page",
}

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(
        [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(" | "));
});
"""

# After the load event: let queued violation events arrive, then collect them from every frame.
COLLECT = """async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return window.__cspViolations || [];
}"""


def _by_email(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


@pytest.fixture
def demo(app, runner) -> dict[str, dict[str, str]]:
    """Demo data and the values that fill each URL argument: {argument: value}, with
    per-endpoint overrides under "endpoint:<name>"."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    advisor = _by_email(ADVISOR)
    lead = db.session.scalar(sa.select(Lead).where(
        Lead.municipality_id == advisor.municipality_id, Lead.confidential.is_(False),
        Lead.company_id.is_not(None), Lead.stage == Stage.NEW).order_by(Lead.id))
    site = db.session.scalar(sa.select(Site).where(
        Site.municipality_id == advisor.municipality_id).order_by(Site.id))
    node = db.session.scalar(sa.select(LogisticsNode).order_by(LogisticsNode.id))
    token_user = _by_email(TOKEN_USER)
    send_password_reset(TOKEN_USER)
    message = db.session.scalar(sa.select(MailMessage).order_by(MailMessage.id.desc()))
    assert lead and site and node and message, "the demo data lacks something this test needs"
    db.session.add(CandidateSite(lead_id=lead.id, site_id=site.id,
                                 municipality_id=site.municipality_id))
    db.session.flush()
    _pack, pack_token = make_pack(advisor, lead, [c.id for c in packable_candidates(advisor, lead)],
                                  "sv")
    values = {
        "args": {
            "lead_id": str(lead.id), "company_id": str(lead.company_id), "site_id": str(site.id),
            "node_id": str(node.id), "user_id": str(advisor.id), "message_id": str(message.id),
            "secret": renew_secret(advisor), "year": "2026",
        },
        "endpoint:auth.reset_password": {"token": make_password_token(token_user, RESET)},
        "endpoint:auth.accept_invitation": {"token": make_password_token(token_user, INVITATION)},
        "endpoint:packs.show": {"token": pack_token},
    }
    db.session.commit()
    return values


def pages_of(app, demo) -> tuple[list[str], list[str]]:
    """(URLs of every GET rule not in SKIP, rules whose arguments cannot be filled)."""
    urls, unfillable = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in SKIP:
            continue
        values = {**demo["args"], **demo.get(f"endpoint:{rule.endpoint}", {})}
        missing = [name for name in rule.arguments if name not in values]
        if missing:
            unfillable.append(f"{rule.rule} ({rule.endpoint}): no value for {', '.join(missing)}")
            continue
        with app.test_request_context():
            from flask import url_for

            urls.append(url_for(rule.endpoint, **{name: values[name] for name in rule.arguments}))
    return urls, unfillable


def test_every_get_rule_is_covered_or_skipped_with_a_reason(app, demo):
    urls, unfillable = pages_of(app, demo)
    assert not unfillable, (
        "New GET rules whose arguments this test cannot fill: give them a value in the "
        f"`demo` fixture or a reason in SKIP: {unfillable}")
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(SKIP) <= endpoints, f"SKIP names endpoints that no longer exist: {set(SKIP) - endpoints}"
    assert len(urls) >= 40


class Watcher:
    """A browser context that records CSP violations of every page it loads."""

    def __init__(self, browser, base_url: str) -> None:
        self.context = browser.new_context(base_url=base_url, locale="sv-SE")
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.violations: list[str] = []
        self.page.on("console", self._console)
        self.page.on("dialog", lambda dialog: dialog.dismiss())

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: console: {message.text}")

    def collect(self, label: str) -> None:
        """The page's violation events (a sandboxed frame, such as the digest preview, runs
        no script to listen with: its violations reach the console)."""
        found = self.page.evaluate(COLLECT)
        self.violations.extend(f"{label}: {violation}" for violation in found)

    def visit(self, url: str) -> None:
        self.page.goto(url, wait_until="load")
        self.collect(f"{url} (as {self.who})")

    who = "anonymous"


def _login(watcher: Watcher, email: str) -> None:
    login(watcher.page, email)
    watcher.who = email
    assert "/login" not in watcher.page.url, f"{email} could not log in"
    watcher.collect(f"login as {email}")


def _open_a_map_popup(page) -> None:
    """Click (with the mouse) markers that have a popup until one opens."""
    page.wait_for_function(
        "() => window.etableraMaps && Object.keys(window.etableraMaps).length > 0")
    points = page.evaluate("""() => {
        const map = Object.values(window.etableraMaps)[0];
        const box = map.getContainer().getBoundingClientRect();
        const bounds = map.getBounds().pad(-0.05);
        const points = [];
        map.eachLayer((layer) => {
            if (layer.getPopup && layer.getPopup() && layer.getLatLng && layer._map
                    && bounds.contains(layer.getLatLng())) {
                const p = map.latLngToContainerPoint(layer.getLatLng());
                points.push([box.left + p.x, box.top + p.y]);
            }
        });
        return points;
    }""")
    assert points, "no marker with a popup on the map"
    for x, y in points[:20]:
        page.mouse.click(x, y)
        try:
            page.wait_for_selector(".leaflet-popup-content", state="visible", timeout=1000)
        except Exception:  # noqa: BLE001, S112 - another marker or a tooltip was on top: try the next
            continue
        return
    raise AssertionError("no map popup opened")


def _interact(watcher: Watcher, demo) -> None:
    """As the advisor: the digest preview's sandboxed frame still shows the mail, a map
    popup opens by a click on a marker, a kanban card is dragged."""
    watcher.visit("/digest/preview")
    frame_text = watcher.page.frame_locator("[data-testid=digest-html]").locator("body").inner_text()
    assert frame_text.strip(), "the digest preview frame is empty"
    for url in ("/sites/map", f"/sites/{demo['args']['site_id']}"):
        watcher.visit(url)
        _open_a_map_popup(watcher.page)
        watcher.collect(f"{url} popup (as {watcher.who})")
    lead_id = int(demo["args"]["lead_id"])
    watcher.page.set_viewport_size({"width": 2400, "height": 1000})  # every column on screen
    watcher.visit("/pipeline")
    watcher.page.get_by_test_id(f"card-{lead_id}").drag_to(
        watcher.page.get_by_test_id("column-qualified"))
    watcher.page.wait_for_function(
        "id => document.querySelector('[data-testid=column-qualified] [data-testid=card-' + id + ']')",
        arg=lead_id)
    watcher.collect(f"/pipeline drag (as {watcher.who})")


def test_no_page_violates_the_content_security_policy(app, demo, browser, live_server):
    urls, unfillable = pages_of(app, demo)
    assert not unfillable, unfillable
    violations: list[str] = []
    broken = None
    for email in (None, ADVISOR, ADMIN):
        watcher = Watcher(browser, live_server.url)
        try:
            if email:
                _login(watcher, email)
            for url in urls:
                watcher.visit(url)
            if email == ADVISOR:
                try:
                    _interact(watcher, demo)
                except Exception as error:  # noqa: BLE001 - reported after the violations
                    broken = f"{watcher.page.url} (as {email}): {error}"
        finally:
            violations.extend(watcher.violations)
            watcher.context.close()
    assert violations == []
    assert broken is None, broken
