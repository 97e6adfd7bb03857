"""Tests assert order and spacing through an injected clock, never wall-clock gaps or
durations: a timed assertion fails on a busy CI machine (issue 13, item 13)."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
WALL_CLOCK = re.compile(r"\b(?:time\.time|monotonic|perf_counter)(?:_ns)?\s*\(")


def test_no_test_reads_the_wall_clock():
    offenders = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py")) if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WALL_CLOCK.search(line)
    ]
    assert offenders == [], "inject a clock (app.clock, time-machine) instead:\n" + "\n".join(
        offenders)
