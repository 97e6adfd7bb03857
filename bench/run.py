"""`make bench`: generate data into the benchmark's own database, serve the app with
gunicorn and measure each scenario against the trivial baseline route of the same run.

Prints a table and writes bench/results.json. Figures, not pass/fail tests.
Database: BENCH_DATABASE_URL, else PostgreSQL database `etablera_bench` on
127.0.0.1:5432 when reachable, else SQLite `bench/bench.db`.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import login_timing  # noqa: E402
from bench.exports import describe as describe_exports  # noqa: E402
from bench.exports import measure_exports, queue_env  # noqa: E402
from bench.generate import BENCH_PASSWORD, BENCH_TOKENS, generators  # noqa: E402
from bench.scenarios import (  # noqa: E402
    BASELINE,
    BASELINE_ALONE,
    EMPTY_PAGE,
    SCENARIOS,
    TRICK_SCENARIOS,
    Scenario,
)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/etablera_bench"


def database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    try:
        admin = sa.create_engine(PG_URL.rsplit("/", 1)[0] + "/postgres",
                                 isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        with admin.connect() as connection:
            exists = connection.scalar(
                sa.text("select 1 from pg_database where datname = 'etablera_bench'"))
            if not exists:
                connection.execute(sa.text("CREATE DATABASE etablera_bench"))
        return PG_URL
    except sa.exc.OperationalError:
        return f"sqlite:///{ROOT / 'bench' / 'bench.db'}"


def prepare(url: str) -> list[str]:
    from flask_migrate import upgrade

    from app import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        lines = [generator() for generator in generators()]
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
    return lines


def measure_digests(url: str) -> dict:
    from app import create_app
    from bench.digests import measure_digests as measure

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from app.extensions import db

        result = measure()
        db.session.remove()
        db.engine.dispose()
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(url: str) -> dict[str, str]:
    """The environment of gunicorn and of the task queue's consumer (bench.exports)."""
    return {
        **os.environ,
        "ETABLERA_ENV": "production",
        "ETABLERA_BENCH": "1",
        "SECRET_KEY": "bench-secret",
        "DATABASE_URL": url,
        "SESSION_COOKIE_SECURE": "0",
        "MAIL_BACKEND": "console",
        **queue_env(),
    }


def start_server(url: str, port: int) -> subprocess.Popen:
    env = server_env(url)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/bench/baseline", timeout=1)
            return process
        except (requests.ConnectionError, requests.Timeout):  # workers still importing the app
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def logged_in_session(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = session.post(f"{base}/login", timeout=10, allow_redirects=False,
                            data={"email": email, "password": BENCH_PASSWORD,
                                  "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"bench login failed for {email}")
    return session


def api_session(email: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {BENCH_TOKENS[email]}"
    return session


def session_for(base: str, scenario: Scenario, sessions: dict) -> requests.Session:
    key = (scenario.user, scenario.bearer)
    if key not in sessions:
        if scenario.bearer:
            sessions[key] = api_session(scenario.user)
        else:
            sessions[key] = (
                logged_in_session(base, scenario.user) if scenario.user else requests.Session()
            )
    return sessions[key]


def measure(base: str, scenarios: list[Scenario], sessions: dict) -> list[dict]:
    """p50/p95 and size of each scenario, measured in rounds: each round requests every
    scenario once (those with requests left), so that a change in the machine's speed
    during the run (other tenants, CPU frequency) touches every row and the baseline
    alike instead of skewing their ratios."""
    for scenario in scenarios:  # warm-up: per-process caches, connections, templates
        for _ in range(3):
            session_for(base, scenario, sessions).get(f"{base}{scenario.path}", timeout=60,
                                                      headers=scenario.headers)
    timings: dict[str, list[float]] = {s.name: [] for s in scenarios}
    sizes: dict[str, list[int]] = {s.name: [] for s in scenarios}
    statuses: dict[str, set[int]] = {s.name: set() for s in scenarios}
    for round_number in range(max(s.requests for s in scenarios)):
        for scenario in scenarios:
            if round_number >= scenario.requests:
                continue
            session = session_for(base, scenario, sessions)
            started = time.perf_counter()
            response = session.get(f"{base}{scenario.path}", timeout=60,
                                   headers=scenario.headers)
            timings[scenario.name].append((time.perf_counter() - started) * 1000)
            sizes[scenario.name].append(len(response.content))
            statuses[scenario.name].add(response.status_code)
    return [summary(s, sorted(timings[s.name]), sizes[s.name], statuses[s.name])
            for s in scenarios]


def summary(scenario: Scenario, timings: list[float], sizes: list[int],
            statuses: set[int]) -> dict:
    return {
        "name": scenario.name,
        "path": scenario.path,
        "requests": scenario.requests,
        "status": sorted(statuses),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "bytes": int(statistics.median(sizes)),
        "target_ratio": scenario.target_ratio,
        "target_ms": scenario.target_ms,
        "bytes_per_item": (round(statistics.median(sizes) / scenario.items, 1)
                           if scenario.items else None),
        "target_bytes_per_item": scenario.target_bytes_per_item,
    }


def trick_gains(results: list[dict]) -> list[dict]:
    """Each speed trick's gain on each of its pages: the page's p50 with the trick off
    minus its p50 with every trick on, both from the same rounds."""
    by_name = {row["name"]: row for row in results}
    gains = []
    for scenario in TRICK_SCENARIOS:
        page = by_name[scenario.name.rsplit(", ", 1)[0]]
        off = by_name[scenario.name]
        gains.append({"trick": ",".join(scenario.tricks_off), "page": page["name"],
                      "p50_on_ms": page["p50_ms"], "p50_off_ms": off["p50_ms"],
                      "gain_ms": round(off["p50_ms"] - page["p50_ms"], 2)})
    return gains


def describe_tricks(gains: list[dict]) -> str:
    lines = [f"\n{'speed trick':16} {'page':28} {'p50 on':>8} {'p50 off':>8} {'gain ms':>8}"]
    for row in gains:
        flag = "" if row["gain_ms"] >= 1 else "  under 1 ms"
        lines.append(f"{row['trick']:16} {row['page']:28} {row['p50_on_ms']:8.1f} "
                     f"{row['p50_off_ms']:8.1f} {row['gain_ms']:8.1f}{flag}")
    return "\n".join(lines)


def main() -> int:
    url = database_url()
    print(f"benchmark database: {sa.engine.make_url(url).render_as_string()}")
    for line in prepare(url):
        print(f"  {line}")
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        sessions: dict = {}
        alone = measure(base, [BASELINE_ALONE], sessions)[0]
        results = measure(base, [BASELINE, *SCENARIOS, *TRICK_SCENARIOS], sessions)
        baseline = results[0]
        # After the rounds, so that the job's load touches no other figure.
        exports = measure_exports(base, url, server.pid, server_env(url),
                                  session_for(base, EMPTY_PAGE, sessions), baseline["p50_ms"])
        logins = login_timing.measure_login_timing(
            base, [f"kumla{n}@bench.example" for n in range(20, 30)])
    finally:
        server.terminate()
        server.wait(timeout=20)
    empty_page = next(row for row in results if row["path"] == EMPTY_PAGE.path)
    for row in results:
        row["ratio"] = round(row["p50_ms"] / baseline["p50_ms"], 1)
        row["page_ratio"] = round(row["p50_ms"] / empty_page["p50_ms"], 1)
        row["alone_ratio"] = round(row["p50_ms"] / alone["p50_ms"], 1)
        checks = []
        if row["target_ratio"]:
            checks.append(row["ratio"] <= row["target_ratio"])
        if row["target_ms"]:
            checks.append(row["p50_ms"] <= row["target_ms"])
        if row["target_bytes_per_item"]:
            checks.append(row["bytes_per_item"] <= row["target_bytes_per_item"])
        row["within_target"] = all(checks) if checks else None
    print(f"\n{'scenario':32} {'status':10} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>10} "
          f"{'× base':>7} {'target':>7} {'× page':>7} {'× alone':>8}")
    for row in results:
        target = f"≤{row['target_ratio']:g}×" if row["target_ratio"] else ""
        flag = "" if row["within_target"] in (None, True) else "  OVER"
        print(f"{row['name']:32} {','.join(map(str, row['status'])):10} {row['p50_ms']:8.1f} "
              f"{row['p95_ms']:8.1f} {row['bytes']:10d} {row['ratio']:7.1f} {target:>7} "
              f"{row['page_ratio']:7.1f} {row['alone_ratio']:8.1f}{flag}")
    print(f"{BASELINE_ALONE.name:32} {','.join(map(str, alone['status'])):10} "
          f"{alone['p50_ms']:8.1f} {alone['p95_ms']:8.1f}   (reference for × alone)")
    for row in results:
        extra = []
        if row["target_ms"]:
            extra.append(f"p50 {row['p50_ms']:.1f} ms (target ≤{row['target_ms']:g} ms)")
        if row["bytes_per_item"] is not None:
            target = (f" (target ≤{row['target_bytes_per_item']:g})"
                      if row["target_bytes_per_item"] else "")
            extra.append(f"{row['bytes_per_item']:.1f} bytes per site, uncompressed{target}")
        if extra:
            flag = "" if row["within_target"] in (None, True) else "  OVER"
            print(f"  {row['name']}: {'; '.join(extra)}{flag}")
    tricks = trick_gains(results)
    print(describe_tricks(tricks))
    from bench.digests import describe

    print(f"\n{describe_exports(exports)}")
    print(login_timing.describe(logins))
    digests = measure_digests(url)
    print(f"\n{describe(digests)}")
    from bench import database_down

    healthz_down = database_down.measure_healthz_with_database_down()
    print(database_down.describe(healthz_down))
    output = ROOT / "bench" / "results.json"
    output.write_text(json.dumps({"database": sa.engine.make_url(url).get_backend_name(),
                                  "baseline_alone": alone, "results": results, "exports": exports,
                                  "digests": digests, "healthz_database_down": healthz_down,
                                  "failed_logins": logins, "tricks": tricks},
                                 indent=2))
    print(f"\nwrote {output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
