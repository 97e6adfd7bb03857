"""Issue 18's gates, one crawl (SQLite pass): every page of `app.url_map` in headless
Chromium — anonymously, as an advisor (Swedish and English) and as the admin — checked
at once for

- accessibility: axe-core (bundled by axe-playwright-python) with the WCAG 2.0/2.1 A and
  AA tags, after opening every disclosure (`<details>`) and a popup of each map: 0
  violations;
- words: no raw code (an enum's snake_case value, a notification or mail kind) in the
  visible text, in Swedish and English;
- phones: at 390 px the page is no wider than the viewport (`scrollWidth`), and a map's
  layer control and legend are collapsed;
- valid HTML: each page as served is saved and the Nu Html Checker (vnu.jar from npm,
  `make install-dev` runs `npm ci`) checks them all in one run at the end: 0 errors.

The pages come from the URL map, so a new page joins by itself: its `<int:…>` and token
arguments are filled from the seeded world below (`ARGUMENTS`); a rule the table cannot
fill fails the test by name. Only non-HTML endpoints are left out (`NOT_PAGES`).
One test function does the whole crawl, so pytest-xdist runs it on one worker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.auth.service import INVITATION, RESET, create_user, make_password_token, send_invitation
from app.candidates import service as candidates
from app.candidates.models import CandidateStatus
from app.candidates.visits import plan_visit
from app.clock import local_today
from app.exports.models import ExportKind
from app.exports.service import record_export, run_export
from app.extensions import db
from app.leads.companies import add_contact
from app.leads.followups import add_followup
from app.leads.models import ShareLevel
from app.leads.queries import LeadFilters
from app.leads.sharing import share_lead
from app.mail.models import MailMessage
from app.packs.service import make_pack
from app.reservations import service as reservations
from app.sites.models import LogisticsNode
from tests.factories import TEST_PASSWORD, make_site, make_user, municipality
from tests.leads_helpers import make_lead

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Endpoints that answer with something other than an HTML page; everything else is crawled.
NOT_PAGES = {
    "static": "CSS, JavaScript and images",
    "health.healthz": "JSON for the load balancer",
    "calendar_feed.feed": "an iCalendar feed",
    "leads.export_csv": "a CSV download",
    "exports.download": "a file download",
    "api_docs.openapi": "the OpenAPI JSON document",
    "leads.mentionable": "JSON for the activity form's @ autocomplete",
    "reports.download": "a report table's CSV or XLSX download",
    "catalogue.geojson": "the public catalogue's sites as GeoJSON",
    "privacy.export_contact": "a contact's personal data as a JSON download",
}
NOT_PAGE_BLUEPRINTS = {  # the JSON API, under /api/v1
    "api", "leads_api", "sites_api", "candidates_api",
}
# Pages that exist only as answers to an error, visited by a URL that produces them.
ERROR_PAGES = ["/this-page-does-not-exist"]


@pytest.fixture
def app_overrides() -> dict:
    # Every export over 0 rows is a job: the workbook URLs show their confirmation page.
    return {"EXPORT_JOB_THRESHOLD": 0}


@pytest.fixture
def seeded(app, users) -> dict[str, Callable[[str], str | None]]:
    """A world where every detail page has content: Kumla's lead with a company, shares,
    candidates, a planned visit, a reservation, a pack, follow-ups; a lead Arboga shares
    with Kumla; an export, an invitation (a mail in the log), a logistics node. Returns
    the fillers of the URL map's arguments, by argument name or endpoint."""
    kumla = users["kumla"]
    english = make_user("kumla-en@test.example", "kumla", "advisor", locale="en",
                        name="Kim English")
    lead = make_lead(kumla, "karta", power_mw=5.0, expected_jobs=120)
    share_lead(kumla, lead, ["hallsberg"], ShareLevel.FULL.value)
    add_contact(kumla, lead, {"name": "Greta Kontaktsson", "title": "Vd",
                              "email": "greta@bolaget.example"})
    arboga = make_lead(users["arboga"], "arboga_delar")
    share_lead(users["arboga"], arboga, ["kumla"], ShareLevel.ANONYMISED.value)
    today = local_today()
    add_followup(kumla, lead, "Ring vd om markbehovet", today + timedelta(days=2))
    add_followup(kumla, lead, "Skicka detaljplanen", today - timedelta(days=1),
                 assignee_id=english.id)
    site = make_site("kumla", name="Rala tomt 2", power_mw=8.0, public=True,
                     description="Tomt vid Rala " + "industrispårsanslutningsmöjlighet" * 2)
    second = make_site("kumla", name="Kumla Nord etapp 3", lat=59.15, lon=15.13)
    make_site("hallsberg", name="Hallsbergs terminal", lat=59.07, lon=15.11)
    proposed = candidates.propose(kumla, lead, site, note="Nära E20")
    selected = candidates.propose(kumla, lead, second)
    selected.status = CandidateStatus.SELECTED
    db.session.commit()
    reservations.reserve(kumla, selected, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": date(2027, 6, 1)})
    plan_visit(kumla, lead, [proposed.id], today + timedelta(days=7), time(10, 0), kumla.id, [],
               "Företagets vd")
    _pack, pack_token = make_pack(kumla, lead, [proposed.id], "sv")
    run_export(record_export(kumla, ExportKind.LEADS, LeadFilters()).id)
    invited = create_user(email="ny@test.example", name="Nya Rådgivaren",
                          municipality=municipality("kumla"), role=Role.ADVISOR,
                          actor=users["admin"], invite=False)
    send_invitation(invited)
    mail = db.session.scalar(sa.select(MailMessage).order_by(MailMessage.id.desc()))
    node = db.session.scalar(sa.select(LogisticsNode).order_by(LogisticsNode.id))
    ids = {
        "lead_id": lead.id, "site_id": site.id, "company_id": lead.company_id,
        "user_id": kumla.id, "message_id": mail.id, "node_id": node.id,
    }
    fillers: dict[str, Callable[[str], str | None]] = {name: (lambda _e, v=value: str(v))
                                                  for name, value in ids.items()}
    tokens = {
        "auth.accept_invitation": make_password_token(invited, INVITATION),
        "auth.reset_password": make_password_token(english, RESET),
        "packs.show": pack_token,
    }
    fillers["token"] = tokens.get
    fillers["fmt"] = lambda _e: "xlsx"  # the CSV is a download; the workbook confirms a job
    fillers["year"] = lambda _e: str(today.year)  # the annual follow-up
    return fillers


def crawl_urls(app, fillers: dict[str, Callable[[str], str | None]]) -> list[str]:
    """Every GET page of the URL map, its arguments filled; fails on a rule it cannot fill."""
    urls, unfilled = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        blueprint = rule.endpoint.rpartition(".")[0]
        if ("GET" not in rule.methods or rule.endpoint in NOT_PAGES
                or blueprint in NOT_PAGE_BLUEPRINTS):
            continue
        values = {name: fillers[name](rule.endpoint) if name in fillers else None
                  for name in rule.arguments}
        missing = [name for name, value in values.items() if value is None]
        if missing:
            unfilled.append(f"{rule.rule} ({rule.endpoint}): {', '.join(missing)}")
            continue
        with app.test_request_context():
            urls.append(app.url_for(rule.endpoint, **values))
    assert not unfilled, ("pages the crawl cannot reach: fill their arguments in "
                          "tests/browser/test_crawl.py (or list them in NOT_PAGES if they "
                          "are not HTML): " + "; ".join(unfilled))
    return urls + ERROR_PAGES


OPEN_EVERYTHING = """async () => {
    // The maps' legends are left as the screen's width has them (see PHONE_LAYOUT).
    document.querySelectorAll('details:not(.etablera-legend)').forEach(d => { d.open = true; });
    // One popup per map, a site's (in a marker cluster) before a logistics node's.
    let wanted = 0;
    for (const map of Object.values(window.etableraMaps || {})) {
        const leaves = [];
        const walk = (layer, cluster) => {
            if (layer.getLayers && !layer.getLatLng) {
                layer.getLayers().forEach(child => walk(child, layer.zoomToShowLayer ? layer : cluster));
            } else if (layer.getPopup && layer.getPopup()) {
                leaves.push([layer, cluster]);
            }
        };
        map.eachLayer(layer => walk(layer, null));
        leaves.sort((a, b) => (b[1] ? 1 : 0) - (a[1] ? 1 : 0));
        if (!leaves.length) continue;
        wanted += 1;
        const [leaf, cluster] = leaves[0];
        if (cluster && !leaf._map) {
            await new Promise(done => { cluster.zoomToShowLayer(leaf, done); setTimeout(done, 3000); });
        }
        leaf.openPopup();
    }
    return {wanted: wanted, open: document.querySelectorAll('.leaflet-popup').length};
}"""

PHONE_LAYOUT = """async () => {
    // After the resize, a frame for media-query listeners and layout to catch up.
    await new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)));
    const wide = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                     && getComputedStyle(e).position !== 'fixed')
        .filter(e => !e.closest('.table-responsive, .leaflet-container, .visually-hidden'))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                              + (e.className && typeof e.className === 'string'
                                 ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
    const expanded = [...document.querySelectorAll(
        '.leaflet-control-layers-expanded, details.etablera-legend[open]')]
        .filter(e => e.offsetParent !== null).map(e => e.className);
    return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
            wide: wide, expanded: expanded};
}"""


# Single-word enum values that are Swedish words too (or the glossary's own terms).
SWEDISH_WORDS = frozenset({"antagen", "granskning", "planbesked", "markanvisning",
                           "markreservation", "region", "land", "full", "admin", "pass"})


def raw_codes(swedish: bool = False) -> re.Pattern:
    """The product's codes that no reader should see: every snake_case value of its enums
    (stages, kinds, statuses, detaljplan stages…), notification and mail kinds; on a
    Swedish page also the single-word ones ("won", "available", "samrad"). The visible
    text of every page must word them (labels)."""
    import enum

    import app.models  # noqa: F401  (every feature's models)
    from app.mail.routes import KIND_LABELS
    from app.notifications.topics import TOPIC_OF_KIND

    def subclasses(cls: type) -> list[type]:
        return [cls, *(sub for child in cls.__subclasses__() for sub in subclasses(child))]

    codes = {member.value for cls in subclasses(enum.Enum)
             if cls.__module__.startswith("app.") for member in cls  # type: ignore[attr-defined]
             if isinstance(member.value, str)
             and ("_" in member.value or swedish and member.value not in SWEDISH_WORDS)}
    codes |= {kind for kind in (*KIND_LABELS, *TOPIC_OF_KIND) if "_" in kind}
    alternatives = "|".join(sorted(map(re.escape, codes), key=len, reverse=True))
    return re.compile(rf"(?<![\w./#=@-])({alternatives})(?![\w/@-]|\.\w)")


class Crawl:
    """Visits pages in one browser context and collects what fails."""

    def __init__(self, context, who: str, saved: Path, names: dict[str, str],
                 failures: list[tuple[str, str]]) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.who, self.saved, self.names, self.failures = who, saved, names, failures
        self.axe = Axe()
        self.codes = raw_codes(swedish=who.endswith("sv") or who == "anonymous")
        self.seen: set[str] = set()
        self.popups = 0
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def login(self, email: str) -> None:
        self.page.goto("/login")
        self.page.locator("input[name=email]").fill(email)
        self.page.locator("input[name=password]").fill(TEST_PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert "/login" not in self.page.url, f"{self.who}: the login failed"

    def visit(self, url: str) -> None:
        page = self.page
        page.set_viewport_size(DESKTOP)
        self.errors.clear()
        response = page.goto(url)
        assert response is not None, url
        landed = urlsplit(page.url).path
        key = f"{response.status} {landed}"
        if key in self.seen:  # a redirect or an error page already checked in this context
            return
        self.seen.add(key)
        where = f"{self.who} {url}" + (f" (→ {landed})" if landed != url else "")
        if "text/html" not in response.headers.get("content-type", ""):
            self.failures.append((where, f"not HTML ({response.headers.get('content-type')}); "
                                  "list it in NOT_PAGES"))
            return
        name = f"{self.who}-{len(self.seen):03d}.html"
        (self.saved / name).write_bytes(response.body())
        self.names[name] = where
        page.wait_for_load_state("load")
        popups = page.evaluate(OPEN_EVERYTHING)
        self.popups += popups["open"]
        if popups["open"] < popups["wanted"]:
            self.failures.append((where, f"opened {popups['open']} of {popups['wanted']} map popups"))
        shown = self.codes.findall(page.evaluate("document.body.innerText"))
        if shown:
            self.failures.append((where, f"raw codes in the visible text: {sorted(set(shown))}"))
        result = self.axe.run(page, options={
            "runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        for violation in result.response["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")
            self.failures.append((where, f"axe {violation['id']} ({violation['impact']}) "
                                  f"on {targets}: {summary[:300]}"))
        page.set_viewport_size(PHONE)
        layout = page.evaluate(PHONE_LAYOUT)
        if layout["scrollWidth"] > layout["innerWidth"]:
            self.failures.append((where, f"{layout['scrollWidth']} px wide at 390 px; "
                                  f"wider elements: {layout['wide']}"))
        if layout["expanded"]:
            self.failures.append((where, "map controls not collapsed at 390 px: "
                                  f"{layout['expanded']}"))
        if self.errors:
            self.failures.append((where, f"JavaScript errors {self.errors}"))


def validate_html(saved: Path, names: dict[str, str]) -> list[tuple[str, str]]:
    """One run of the Nu Html Checker over every saved page; its errors, by page."""
    java = shutil.which("java")
    if not (java and VNU_JAR.exists()):
        missing = "java" if not java else f"{VNU_JAR} (make install-dev runs npm ci)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {missing} is missing")
        pytest.skip(f"HTML CHECK SKIPPED: {missing} is missing")
    run = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                          "--stdout", str(saved)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stdout)["messages"]
    return [(names.get(Path(m.get("url", "")).name, m.get("url", "")),
             f"vnu: {m['message']} «{_extract(m)}»")
            for m in messages if m["type"] in ("error", "non-document-error")]


def _extract(message: dict) -> str:
    """The checker's excerpt on one line, without the per-request values of hidden inputs."""
    text = re.sub(r'value="[^"]*"', 'value="…"', " ".join(message.get("extract", "").split()))
    return text[:100]


def test_every_page_is_accessible_fits_a_phone_and_is_valid_html(
        app, browser, live_server, users, seeded, tmp_path):
    urls = crawl_urls(app, seeded)
    saved = tmp_path / "html"
    saved.mkdir()
    failures: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    popups = 0
    visitors = [  # who, browser locale, e-mail (None: anonymous)
        ("anonymous", "sv-SE", None),
        ("advisor-sv", "sv-SE", "kumla@test.example"),
        ("advisor-en", "en-GB", "kumla-en@test.example"),
        ("admin-sv", "sv-SE", "admin@test.example"),
    ]
    for who, locale, email in visitors:
        context = browser.new_context(base_url=live_server.url, locale=locale,
                                      viewport=DESKTOP)
        try:
            crawl = Crawl(context, who, saved, names, failures)
            if email:
                crawl.login(email)
            for url in urls:
                crawl.visit(url)
            popups += crawl.popups
        finally:
            context.close()
    failures += validate_html(saved, names)
    assert len(names) > 3 * len(urls) // 2, f"too few pages checked: {sorted(names.values())}"
    assert popups >= 3 * 4, "the maps' popups were not opened"  # 4 map pages, 3 visitors
    assert not failures, report(failures)


def report(failures: list[tuple[str, str]]) -> str:
    """Each distinct finding once, with the pages where it was found."""
    pages: dict[str, list[str]] = {}
    for where, finding in failures:
        pages.setdefault(finding, []).append(where)
    return f"{len(pages)} findings on {len(failures)} page visits:\n" + "\n".join(
        f"- {finding}\n    on {', '.join(sorted(where)[:8])}"
        + (f" and {len(where) - 8} more" if len(where) > 8 else "")
        for finding, where in sorted(pages.items()))


def test_the_raw_code_check_finds_codes_and_leaves_words_and_addresses(app):
    codes = raw_codes(swedish=True)
    text = "Skede: sites_proposed. Plan: laga_kraft, samrad; won. antagen · viewer@kumla.se"
    assert codes.findall(text) == ["sites_proposed", "laga_kraft", "samrad", "won"]
    assert raw_codes().findall(text) == ["sites_proposed", "laga_kraft"]


def test_a_page_whose_arguments_the_table_cannot_fill_fails_the_crawl_by_name(app):
    fillers = {name: (lambda _endpoint: "1") for name in
               ("lead_id", "site_id", "company_id", "user_id", "message_id", "token")}
    fillers["fmt"] = lambda _endpoint: "xlsx"
    with pytest.raises(AssertionError, match=r"/admin/nodes/<int:node_id> \(sites_admin"):
        crawl_urls(app, fillers)
