"""Matching: every site against what an inquiry needs, with a verdict and an
explanation per criterion.

Pure rules on two value objects, `Needs` (what the lead states) and `SiteFacts` (what
the site record says); nothing here reads the database, so matching reveals nothing but
sites. Each criterion the lead states answers `pass`, `fail` or `unknown` (the site
lacks the data; unknown never counts as a pass). A site failing a must does not fit.
The rest rank by the number of musts left unknown (fewer first), then by score, then by
the distance to the intermodal terminal, then by id (so the order of the input never
matters). app/candidates/ranking.py computes the same verdicts in SQL for the match page.

Score (0–100): the weighted share of nice-to-have criteria passed; fail and unknown
count 0; no nice-to-haves gives 100. `DEFAULT_WEIGHTS` are documented in the README.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from babel import Locale
from babel.support import NullTranslations
from flask_babel import format_date, get_locale, get_translations


class Verdict(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"  # the site lacks the data; never counts as a pass


PASS, FAIL, UNKNOWN = Verdict.PASS, Verdict.FAIL, Verdict.UNKNOWN

# A detaljplan still in consultation (samråd) or review (granskning) passes only when the
# company can wait this long: the plan typically gains legal force within that time.
PLAN_WAIT_MONTHS = 18

DEFAULT_WEIGHTS: dict[str, int] = {
    "land_area": 3,
    "contiguous_area": 2,
    "building_area": 2,
    "rail_siding": 3,
    "motorway_km": 2,
    "terminal_km": 2,
    "airport_km": 1,
    "power": 3,
    "water_sewage": 1,
    "detaljplan": 2,
    "municipality": 1,
    "available": 2,
    "price": 1,
}

# Sites for sale or let: sold and withdrawn ones are never matched.
PLAN_STAGES = ("none", "planbesked", "samrad", "granskning", "antagen", "laga_kraft")


@dataclass(frozen=True)
class Needs:
    """What an inquiry states; None: not stated (the criterion is not evaluated)."""

    land_min_m2: int | None = None
    land_max_m2: int | None = None
    land_must: bool = False
    contiguous_m2: int | None = None
    contiguous_must: bool = False
    building_m2: int | None = None
    building_must: bool = False
    rail_siding: bool | None = None
    rail_accept_possible: bool = False
    rail_must: bool = False
    motorway_km_max: float | None = None
    motorway_must: bool = False
    terminal_km_max: float | None = None
    terminal_must: bool = False
    airport_km_max: float | None = None
    airport_must: bool = False
    power_mw: float | None = None
    power_lead_time_months: int | None = None
    power_must: bool = False
    water_sewage: bool | None = None
    water_must: bool = False
    preferred_municipalities: tuple[str, ...] = ()
    preferred_must: bool = False
    desired_start: date | None = None
    start_must: bool = False
    price_max_sek_m2: int | None = None
    price_must: bool = False


@dataclass(frozen=True)
class SiteFacts:
    """What a site record says; None: not known."""

    id: int
    name: str
    municipality: str  # slug
    status: str = "available"
    land_area_m2: int | None = None
    contiguous_area_m2: int | None = None
    building_area_m2: int | None = None
    rail_siding: str | None = None  # existing | possible | none
    dist_motorway_km: float | None = None
    dist_terminal_km: float | None = None
    dist_airport_km: float | None = None
    power_mw: float | None = None
    power_expandable_mw: float | None = None
    power_lead_time_months: int | None = None
    water_sewage: bool | None = None
    detaljplan: str | None = None  # one of PLAN_STAGES
    available_from: date | None = None
    price_sek_m2: int | None = None


@dataclass(frozen=True)
class Criterion:
    key: str
    verdict: Verdict
    must: bool
    explanation: str


@dataclass(frozen=True)
class Match:
    site: SiteFacts
    criteria: tuple[Criterion, ...]
    score: int
    fits: bool = field(init=False)
    unknown_musts: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fits", not any(
            c.must and c.verdict == FAIL for c in self.criteria))
        object.__setattr__(self, "unknown_musts", sum(
            1 for c in self.criteria if c.must and c.verdict == UNKNOWN))

    @property
    def failing(self) -> list[Criterion]:
        return [c for c in self.criteria if c.must and c.verdict == FAIL]

    @property
    def unknown(self) -> list[Criterion]:
        return [c for c in self.criteria if c.verdict == UNKNOWN]


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel's default keyword); `Wording` translates it."""
    return message


@dataclass(frozen=True)
class Wording:
    """The reader's language and number symbols, looked up once for a page's explanations.

    A match page explains 50 sites with 3–13 criteria each; flask_babel's gettext and
    format_decimal look up the request's locale and Babel's number symbols on every call,
    which cost about a quarter of the page (`make bench`, "lead matches")."""

    translations: NullTranslations
    separators: dict[int, str]  # str.translate table: "," and "." to the locale's symbols
    # The distances (motorway_km, terminal_km, airport_km) to nodes whose position is an
    # estimate: said in whole km, "≈ 3" (app/sites/service.estimated_distances).
    estimated: frozenset[str] = frozenset()

    @classmethod
    def current(cls, estimated: frozenset[str] = frozenset()) -> Wording:
        symbols = (get_locale() or Locale("sv")).number_symbols["latn"]
        return cls(get_translations(), str.maketrans({",": symbols["group"],
                                                      ".": symbols["decimal"]}), estimated)

    def __call__(self, message: str, **values: object) -> str:
        text = self.translations.ugettext(message)
        return text % values if values else text

    def n(self, value: float) -> str:
        """A figure in the reader's locale with at most one decimal: 120 000, 5,5."""
        return f"{value:,.1f}".removesuffix(".0").translate(self.separators)

    def km(self, value: float) -> str:
        return self.n(round(value, 1))

    def distance(self, key: str, value: float) -> str:
        """A site's distance of criterion `key`: "≈ 3" when its node is an estimate."""
        return f"≈ {round(value)}" if key in self.estimated else self.km(value)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + (end.month - start.month)


# --- the criteria: each returns (verdict, explanation), or None when not stated ----------

Outcome = tuple[Verdict, str]


def _land_area(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    low, high = needs.land_min_m2, needs.land_max_m2
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        wanted = f"{say.n(low)}–{say.n(high)} m²"
    elif low is not None:
        wanted = f"≥ {say.n(low)} m²"
    else:
        wanted = f"≤ {say.n(high or 0)} m²"
    if site.land_area_m2 is None:
        return UNKNOWN, say(N_("Land area unknown (wanted %(wanted)s)"), wanted=wanted)
    area = site.land_area_m2
    ok = (low is None or area >= low) and (high is None or area <= high)
    return (PASS if ok else FAIL), say(N_("Land area %(area)s m², wanted %(wanted)s"),
                                       area=say.n(area), wanted=wanted)


def _at_least(say: Wording, known: str, unknown: str, needed: float | None,
              have: float | None) -> Outcome | None:
    """`known`/`unknown`: messages with %(have)s %(sign)s %(needed)s / %(needed)s."""
    if needed is None:
        return None
    if have is None:
        return UNKNOWN, say(unknown, needed=say.n(needed))
    sign = "≥" if have >= needed else "<"
    return (PASS if have >= needed else FAIL), say(
        known, have=say.n(have), sign=sign, needed=say.n(needed))


def _contiguous(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    return _at_least(
        say, N_("Largest contiguous area %(have)s m² %(sign)s %(needed)s m²"),
        N_("Largest contiguous area unknown (needed %(needed)s m²)"),
        needs.contiguous_m2, site.contiguous_area_m2)


def _building(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    return _at_least(
        say, N_("Building area %(have)s m² %(sign)s %(needed)s m²"),
        N_("Building area unknown (needed %(needed)s m²)"),
        needs.building_m2, site.building_area_m2)


def _rail(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    if not needs.rail_siding:
        return None
    if site.rail_siding is None:
        return UNKNOWN, say(N_("Whether a rail siding exists is unknown"))
    if site.rail_siding == "existing":
        return PASS, say(N_("Rail siding exists"))
    if site.rail_siding == "possible":
        if needs.rail_accept_possible:
            return PASS, say(N_("Rail siding possible (accepted)"))
        return FAIL, say(N_("Rail siding only possible, an existing one is needed"))
    return FAIL, say(N_("No rail siding"))


def _distance(say: Wording, key: str, known: str, unknown: str, limit: float | None,
              distance: float | None) -> Outcome | None:
    """`known`/`unknown`: messages with %(distance)s %(sign)s %(limit)s / %(limit)s."""
    if limit is None:
        return None
    if distance is None:
        return UNKNOWN, say(unknown, limit=say.km(limit))
    sign = "≤" if distance <= limit else ">"
    return (PASS if distance <= limit else FAIL), say(
        known, distance=say.distance(key, distance), sign=sign, limit=say.km(limit))


def _motorway(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    return _distance(
        say, "motorway_km", N_("Trafikplats %(distance)s km as the crow flies %(sign)s %(limit)s km"),
        N_("Distance to a trafikplats unknown (at most %(limit)s km)"),
        needs.motorway_km_max, site.dist_motorway_km)


def _terminal(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    return _distance(
        say, "terminal_km", N_("Intermodal terminal %(distance)s km as the crow flies %(sign)s %(limit)s km"),
        N_("Distance to an intermodal terminal unknown (at most %(limit)s km)"),
        needs.terminal_km_max, site.dist_terminal_km)


def _airport(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    return _distance(
        say, "airport_km", N_("Cargo airport %(distance)s km as the crow flies %(sign)s %(limit)s km"),
        N_("Distance to a cargo airport unknown (at most %(limit)s km)"),
        needs.airport_km_max, site.dist_airport_km)


def _power(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    needed = needs.power_mw
    if needed is None:
        return None
    now = site.power_mw
    if now is not None and now >= needed:
        return PASS, say(N_("Power %(have)s MW ≥ %(needed)s MW"),
                         have=say.n(now), needed=say.n(needed))
    wait = needs.power_lead_time_months
    if wait is None and needs.desired_start is not None:
        wait = max(0, months_between(today, needs.desired_start))
    extra, lead_time = site.power_expandable_mw, site.power_lead_time_months
    if extra is not None and lead_time is not None:
        total = (now or 0) + extra
        if total >= needed and wait is not None and lead_time <= wait:
            return PASS, say(N_("Power %(total)s MW within %(months)s months ≥ %(needed)s MW"),
                             total=say.n(total), months=lead_time, needed=say.n(needed))
        if total >= needed:
            return FAIL, say(N_("Power %(total)s MW only in %(months)s months (%(needed)s MW "
                                "needed sooner)"),
                             total=say.n(total), months=lead_time, needed=say.n(needed))
    if now is None:
        return UNKNOWN, say(N_("Power unknown (needed %(needed)s MW)"), needed=say.n(needed))
    return FAIL, say(N_("Power %(have)s MW < %(needed)s MW"),
                     have=say.n(now), needed=say.n(needed))


def _water(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    if not needs.water_sewage:
        return None
    if site.water_sewage is None:
        return UNKNOWN, say(N_("Whether VA is connected is unknown"))
    if site.water_sewage:
        return PASS, say(N_("VA connected"))
    return FAIL, say(N_("VA not connected"))


def _detaljplan(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    """Always evaluated: a plan in force (or adopted) is what lets a company build."""
    stage = site.detaljplan
    if stage is None:
        return UNKNOWN, say(N_("Detaljplan unknown"))
    stage_label = say(PLAN_STAGE_WORDS.get(stage, stage))
    if stage in ("laga_kraft", "antagen"):
        return PASS, say(N_("Detaljplan %(stage)s"), stage=stage_label)
    if stage in ("samrad", "granskning"):
        months = (months_between(today, needs.desired_start)
                  if needs.desired_start is not None else None)
        if months is not None and months >= PLAN_WAIT_MONTHS:
            return PASS, say(N_("Detaljplan in %(stage)s; the start is %(months)s months away"),
                             stage=stage_label, months=months)
        return FAIL, say(N_("Detaljplan only in %(stage)s; needs a start at least %(months)s "
                            "months away"), stage=stage_label, months=PLAN_WAIT_MONTHS)
    return FAIL, say(N_("Detaljplan: %(stage)s"), stage=stage_label)


def _municipality(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    if not needs.preferred_municipalities:
        return None
    if site.municipality in needs.preferred_municipalities:
        return PASS, say(N_("In a preferred municipality"))
    return FAIL, say(N_("Not in a preferred municipality"))


def _available(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    start = needs.desired_start
    if start is None:
        return None
    if site.status == "reserved":
        return FAIL, say(N_("Reserved for another company"))
    if site.available_from is None or site.available_from <= start:
        return PASS, say(N_("Available by the desired start"))
    return FAIL, say(N_("Available only from %(date)s"), date=format_date(site.available_from))


def _price(needs: Needs, site: SiteFacts, today: date, say: Wording) -> Outcome | None:
    ceiling = needs.price_max_sek_m2
    if ceiling is None:
        return None
    if site.price_sek_m2 is None:
        return UNKNOWN, say(N_("Price unknown (at most %(limit)s SEK/m²)"), limit=say.n(ceiling))
    sign = "≤" if site.price_sek_m2 <= ceiling else ">"
    return (PASS if site.price_sek_m2 <= ceiling else FAIL), say(
        N_("Price %(price)s SEK/m² %(sign)s %(limit)s SEK/m²"), price=say.n(site.price_sek_m2),
        sign=sign, limit=say.n(ceiling))


# key -> (rule, whether it is a must for this lead)
CRITERIA: dict[str, tuple[Callable[[Needs, SiteFacts, date, Wording], Outcome | None],
                          Callable[[Needs], bool]]] = {
    "land_area": (_land_area, lambda n: n.land_must),
    "contiguous_area": (_contiguous, lambda n: n.contiguous_must),
    "building_area": (_building, lambda n: n.building_must),
    "rail_siding": (_rail, lambda n: n.rail_must),
    "motorway_km": (_motorway, lambda n: n.motorway_must),
    "terminal_km": (_terminal, lambda n: n.terminal_must),
    "airport_km": (_airport, lambda n: n.airport_must),
    "power": (_power, lambda n: n.power_must),
    "water_sewage": (_water, lambda n: n.water_must),
    # Building needs a plan in force by the start: a must when the start is.
    "detaljplan": (_detaljplan, lambda n: n.start_must and n.desired_start is not None),
    "municipality": (_municipality, lambda n: n.preferred_must),
    "available": (_available, lambda n: n.start_must),
    "price": (_price, lambda n: n.price_must),
}


PLAN_STAGE_WORDS = {
    "none": N_("not planned"), "planbesked": N_("planbesked"), "samrad": N_("samråd"),
    "granskning": N_("granskning"), "antagen": N_("adopted"), "laga_kraft": N_("in force"),
}


def evaluate(needs: Needs, site: SiteFacts, today: date,
             weights: Mapping[str, int] = DEFAULT_WEIGHTS, say: Wording | None = None) -> Match:
    """`say`: the reader's wording, when the caller explains many sites (Wording.current())."""
    say = say or Wording.current()
    criteria = []
    for key, (rule, is_must) in CRITERIA.items():
        outcome = rule(needs, site, today, say)
        if outcome is not None:
            criteria.append(Criterion(key, outcome[0], is_must(needs), outcome[1]))
    return Match(site, tuple(criteria), score(criteria, weights))


def score(criteria: Iterable[Criterion], weights: Mapping[str, int] = DEFAULT_WEIGHTS) -> int:
    nice = [c for c in criteria if not c.must]
    total = sum(weights.get(c.key, 1) for c in nice)
    if total == 0:
        return 100
    passed = sum(weights.get(c.key, 1) for c in nice if c.verdict == PASS)
    return (200 * passed + total) // (2 * total)  # 100 × passed / total, halves rounded up


def rank_key(match: Match) -> tuple:
    terminal = match.site.dist_terminal_km
    return (not match.fits, match.unknown_musts, -match.score,
            math.inf if terminal is None else terminal, match.site.id)


def match_sites(needs: Needs, sites: Iterable[SiteFacts], today: date,
                weights: Mapping[str, int] = DEFAULT_WEIGHTS) -> list[Match]:
    """Every site that is for sale or let, evaluated and ranked (fitting ones first)."""
    say = Wording.current()
    matches = [evaluate(needs, site, today, weights, say) for site in sites
               if site.status not in ("sold", "withdrawn")]
    return sorted(matches, key=rank_key)
