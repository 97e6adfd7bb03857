"""The match page's ranking in SQL: the verdicts of app/candidates/matching.py as CASE
expressions (1 pass, 0 fail, NULL unknown), so the database ranks 10,000 sites and only
the rows shown are read and explained in Python.

matching.py is the rule; this module restates it for speed (the whole-region evaluation
in Python took 1.7 s for 10,000 sites; `make bench`, "lead matches"). tests/test_ranking.py
checks that both give the same verdicts and the same order on random sites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.candidates.matching import (
    DEFAULT_WEIGHTS,
    PLAN_WAIT_MONTHS,
    Needs,
    months_between,
)

Verdicts = dict[str, tuple[ColumnElement[Any], bool]]  # key -> (1/0/NULL expression, must)


def _verdict(known: ColumnElement[Any], passes: ColumnElement[bool]) -> ColumnElement[Any]:
    """NULL where `known` is NULL (unknown), else 1 where `passes`, else 0."""
    return sa.case((known.is_(None), sa.null()), (passes, 1), else_=0)


def _pass_or_fail(passes: ColumnElement[bool]) -> ColumnElement[Any]:
    return sa.case((passes, 1), else_=0)


def verdicts(needs: Needs, facts: Mapping[str, Any], today: date) -> Verdicts:
    """Each criterion the lead states, as SQL over the columns in `facts` (keyed by the
    SiteFacts field names)."""
    found: Verdicts = {}
    low, high = needs.land_min_m2, needs.land_max_m2
    if low is not None or high is not None:
        area = facts["land_area_m2"]
        bounds = [area >= low] if low is not None else []
        bounds += [area <= high] if high is not None else []
        found["land_area"] = (_verdict(area, sa.and_(*bounds)), needs.land_must)
    if needs.contiguous_m2 is not None:
        have = facts["contiguous_area_m2"]
        found["contiguous_area"] = (_verdict(have, have >= needs.contiguous_m2),
                                    needs.contiguous_must)
    if needs.building_m2 is not None:
        have = facts["building_area_m2"]
        found["building_area"] = (_verdict(have, have >= needs.building_m2), needs.building_must)
    if needs.rail_siding:
        siding = facts["rail_siding"]
        accepted = ["existing", "possible"] if needs.rail_accept_possible else ["existing"]
        found["rail_siding"] = (_verdict(siding, siding.in_(accepted)), needs.rail_must)
    for key, limit, column, must in (
            ("motorway_km", needs.motorway_km_max, "dist_motorway_km", needs.motorway_must),
            ("terminal_km", needs.terminal_km_max, "dist_terminal_km", needs.terminal_must),
            ("airport_km", needs.airport_km_max, "dist_airport_km", needs.airport_must)):
        if limit is not None:
            distance = facts[column]
            found[key] = (_verdict(distance, distance <= limit), must)
    if needs.power_mw is not None:
        found["power"] = (_power(needs, facts, today), needs.power_must)
    if needs.water_sewage:
        water = facts["water_sewage"]
        found["water_sewage"] = (_verdict(water, water.is_(True)), needs.water_must)
    found["detaljplan"] = (_detaljplan(needs, facts["detaljplan"], today),
                           needs.start_must and needs.desired_start is not None)
    if needs.preferred_municipalities:
        found["municipality"] = (
            _pass_or_fail(facts["municipality"].in_(needs.preferred_municipalities)),
            needs.preferred_must)
    if needs.desired_start is not None:
        available_from = facts["available_from"]
        found["available"] = (sa.case(
            (facts["status"] == "reserved", 0),
            (sa.or_(available_from.is_(None), available_from <= needs.desired_start), 1),
            else_=0), needs.start_must)
    if needs.price_max_sek_m2 is not None:
        price = facts["price_sek_m2"]
        found["price"] = (_verdict(price, price <= needs.price_max_sek_m2), needs.price_must)
    return found


def _power(needs: Needs, facts: Mapping[str, Any], today: date) -> ColumnElement[Any]:
    needed = needs.power_mw
    now, extra, lead_time = (facts["power_mw"], facts["power_expandable_mw"],
                             facts["power_lead_time_months"])
    wait = needs.power_lead_time_months
    if wait is None and needs.desired_start is not None:
        wait = max(0, months_between(today, needs.desired_start))
    in_time = lead_time <= wait if wait is not None else sa.false()
    expandable = sa.and_(extra.is_not(None), lead_time.is_not(None),
                         sa.func.coalesce(now, 0) + extra >= needed)
    return sa.case((now >= needed, 1), (expandable, sa.case((in_time, 1), else_=0)),
                   (now.is_(None), sa.null()), else_=0)


def _detaljplan(needs: Needs, stage: ColumnElement[Any], today: date) -> ColumnElement[Any]:
    months = (months_between(today, needs.desired_start)
              if needs.desired_start is not None else None)
    waiting_passes = months is not None and months >= PLAN_WAIT_MONTHS
    passing = ["laga_kraft", "antagen"] + (["samrad", "granskning"] if waiting_passes else [])
    return _verdict(stage, stage.in_(passing))


@dataclass(frozen=True)
class Ranking:
    """What orders matches: whether no must fails, how many musts are unknown, the score."""

    fits: ColumnElement[bool]
    unknown_musts: ColumnElement[Any]
    score: ColumnElement[Any]


def ranking(found: Verdicts, weights: Mapping[str, int] = DEFAULT_WEIGHTS) -> Ranking:
    zero = sa.literal(0)
    musts = [verdict for verdict, must in found.values() if must]
    fits = sa.and_(sa.true(), *(sa.func.coalesce(verdict, 1) == 1 for verdict in musts))
    unknown = [sa.case((verdict.is_(None), 1), else_=0) for verdict in musts]
    nice = {key: weights.get(key, 1) for key, (_v, must) in found.items() if not must}
    total = sum(nice.values())
    if total == 0:
        score: ColumnElement[Any] = sa.literal(100)
    else:  # matching.score's integer rounding (half up), so both order alike
        passed = sum((sa.case((found[key][0] == 1, weight), else_=0)
                      for key, weight in nice.items()), zero)
        score = (200 * passed + total) // (2 * total)
    return Ranking(fits, sum(unknown, zero), score)
