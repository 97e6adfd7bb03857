"""What `make bench` measures. Each scenario is a GET, logged in as `user` or anonymous."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    user: str | None = "orebro0@bench.example"
    target_ratio: float | None = None  # p50 at most this many times the baseline's
    requests: int = 40


BASELINE = Scenario("baseline", "/bench/baseline", user=None, requests=200)

SCENARIOS: list[Scenario] = [
    Scenario("start page", "/", target_ratio=10),
    Scenario("healthz", "/healthz", user=None, target_ratio=10),
    Scenario("leads filtered, first page", "/leads?stage=qualified&municipality=orebro",
             target_ratio=10),
    Scenario("leads filtered, deep page", "/leads?stage=qualified&page=40", target_ratio=10),
    Scenario("leads search", "/leads?q=Nordlogistik", target_ratio=10),
    Scenario("lead detail", "/leads/1", target_ratio=10),
    Scenario("pipeline", "/pipeline", target_ratio=10),
]
