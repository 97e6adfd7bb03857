"""`make bench`: a failed login costs the same for an existing and an unknown e-mail
address (issue 12: account enumeration by timing). Each attempt uses another address,
so no address reaches the throttle's limits; known and unknown attempts alternate, so a
change in the machine's speed touches both alike. The figure belongs here, not in a
test: the tests count the password-hash verifications instead."""

from __future__ import annotations

import re
import statistics
import time
from typing import Any

import requests

ATTEMPTS = 8  # of each kind; below every throttle limit (one failure per address)


def _failed_login(base: str, email: str) -> float:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    started = time.perf_counter()
    response = session.post(f"{base}/login", timeout=30, allow_redirects=False,
                            data={"email": email, "password": "not-the-password",
                                  "csrf_token": token})
    elapsed = time.perf_counter() - started
    if response.status_code == 302:
        raise RuntimeError(f"a wrong password signed {email} in")
    return elapsed * 1000


def measure_login_timing(base: str, known_emails: list[str]) -> dict[str, Any]:
    known, unknown = [], []
    for number, email in enumerate(known_emails[:ATTEMPTS]):
        known.append(_failed_login(base, email))
        unknown.append(_failed_login(base, f"nobody{number}@bench.example"))
    return {"attempts": len(known), "known_p50_ms": round(statistics.median(known), 1),
            "unknown_p50_ms": round(statistics.median(unknown), 1),
            "ratio": round(statistics.median(known) / statistics.median(unknown), 2)}


def describe(result: dict[str, Any]) -> str:
    return (f"failed login, {result['attempts']} each: existing address p50 "
            f"{result['known_p50_ms']} ms, unknown address p50 {result['unknown_p50_ms']} ms "
            f"(ratio {result['ratio']}; the same work is ≈1.0)")
