"""What `make bench` measures. Each scenario is a GET, logged in as `user` or anonymous."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    user: str | None = "orebro0@bench.example"
    target_ratio: float | None = None  # p50 at most this many times the baseline's
    requests: int = 60  # rounds (bench.run.measure): more make the p50s steadier
    target_ms: float | None = None  # p50 at most this many milliseconds (absolute)
    items: int | None = None  # objects the response carries: report bytes per item
    target_bytes_per_item: float | None = None
    bearer: bool = False  # the API: authenticate with a bearer token, not the session
    tricks_off: tuple[str, ...] = ()  # speed tricks switched off (app.caching.TRICKS)

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Bench-Tricks-Off": ",".join(self.tricks_off)} if self.tricks_off else {}


# The targets' yardstick: measured in the same rounds as every scenario (bench.run.measure),
# so it sees the same machine. "× alone" compares with the same route measured in a tight
# loop of its own before the rounds, the best case, for reference.
BASELINE = Scenario("baseline", "/bench/baseline", user=None)
BASELINE_ALONE = Scenario("baseline, alone", "/bench/baseline", user=None, requests=200)
# For reference, no target: what any logged-in page costs before its own work (session,
# user, base template). Every row also shows its ratio to this one ("× page").
EMPTY_PAGE = Scenario("empty logged-in page", "/bench/empty-page")

SCENARIOS: list[Scenario] = [
    EMPTY_PAGE,
    Scenario("start page", "/", target_ratio=10),
    Scenario("healthz", "/healthz", user=None, target_ratio=10),
    Scenario("leads filtered, first page", "/leads?stage=qualified&municipality=orebro",
             target_ratio=10),
    Scenario("leads filtered, deep page", "/leads?stage=qualified&page=40", target_ratio=10),
    Scenario("leads search", "/leads?q=Nordlogistik", target_ratio=10),
    Scenario("lead detail", "/leads/1", target_ratio=10),
    Scenario("pipeline", "/pipeline", target_ratio=10),
    # Sites (bench.generate.generate_sites: 10,000 sites, none withdrawn, all on the map).
    # The map makes no data request: the page carries the sites inline, so its bytes are
    # everything the browser downloads for the map (static assets cached, no gzip counted).
    Scenario("sites map (10,000 sites)", "/sites/map", target_ms=150, items=10_000,
             target_bytes_per_item=150, requests=20),
    Scenario("sites GeoJSON (10,000 sites)", "/api/v1/sites.geojson", bearer=True, items=10_000,
             requests=10),
    Scenario("sites list", "/sites"),
    # Candidate sites (issue 15): a lead's requirements against every one of the 10,000
    # sites, ranked by the database, the first 50 explained and mapped.
    Scenario("lead matches (10,000 sites)", "/leads/1/matches", target_ratio=10, requests=30),
    Scenario("lead matches API (10,000 sites)", "/api/v1/leads/1/matches", bearer=True,
             target_ratio=10, requests=30),
    Scenario("sites API page", "/api/v1/sites?per_page=50", bearer=True),
    # Reports (issue 20): every figure of this year over the 100,000 leads, grouped in SQL.
    Scenario("reports (100,000 leads)", "/reports", target_ratio=20, requests=20),
]


def _page(name: str) -> Scenario:
    return next(scenario for scenario in SCENARIOS if scenario.name == name)


# Each speed trick (app.caching.TRICKS) switched off on the pages where it works, measured
# in the same rounds as those pages with every trick on: the difference of the p50s is the
# trick's gain (bench.run prints it). A trick that gains under 1 ms p50 on its page goes.
TRICK_PAGES = {
    "pristine_fields": ("lead detail",),
    "statements": ("leads filtered, first page", "pipeline", "lead matches (10,000 sites)"),
    "assignees": ("lead detail",),
    "owner_filter": ("leads filtered, first page",),
    "report_figures": ("reports (100,000 leads)",),
}
TRICK_SCENARIOS: list[Scenario] = [
    replace(_page(page), name=f"{page}, {trick} off", tricks_off=(trick,), target_ratio=None)
    for trick, pages in TRICK_PAGES.items() for page in pages]
