"""Exports off the request path, measured against the running gunicorn (bench.run):
the XLSX of the bench user's visible leads made by a job of the task queue (duration
from the request to the finished file), `/healthz` answering while the job runs, the
streamed CSV, and the resident memory of the gunicorn workers and of the queue's
consumer before and after. Figures, not pass/fail tests."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
EXPORTS_DIR = ROOT / "bench" / "exports"
HUEY_FILE = ROOT / "bench" / "huey.db"
EXPORT_PATH = "/leads/export.xlsx"
CSV_PATH = "/leads/export.csv"  # streamed, at most 20,000 rows (app.leads.export)
JOB_TIMEOUT_S = 900


def queue_env() -> dict[str, str]:
    """Settings the web server and the consumer share (bench.run.server_env adds them)."""
    return {"HUEY_URL": f"sqlite:///{HUEY_FILE}", "EXPORTS_DIR": str(EXPORTS_DIR)}


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def workers_rss(gunicorn_pid: int) -> list[float]:
    return [rss_mb(pid) for pid in children(gunicorn_pid)]


def start_consumer(env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "exports", "worker", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)  # importing the app
    if process.poll() is not None:
        raise RuntimeError("the task queue's consumer did not start")
    return process


def stop(process: subprocess.Popen) -> None:
    process.send_signal(2)  # SIGINT: Huey's graceful stop
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _newest_export(engine: sa.Engine, after_id: int) -> Any:
    with engine.connect() as connection:
        return connection.execute(sa.text(
            "select id, status, row_count, created_at, finished_at, error from exports "
            "where id > :after order by id desc limit 1"), {"after": after_id}).first()


def _seconds_between(start: Any, end: Any) -> float | None:
    """Seconds from the export's created_at to its finished_at (text on SQLite)."""
    if start is None or end is None:
        return None
    start, end = (datetime.fromisoformat(v) if isinstance(v, str) else v for v in (start, end))
    return round((end - start).total_seconds(), 2)


def measure_exports(base: str, url: str, gunicorn_pid: int, env: dict[str, str],
                    session: requests.Session, baseline_p50_ms: float) -> dict[str, Any]:
    """Request the XLSX of every lead the session's user sees (a job: more than the
    threshold), poll /healthz until the file is done, download it."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.connect() as connection:
        last_id = connection.scalar(sa.text("select coalesce(max(id), 0) from exports"))
    workers_before = workers_rss(gunicorn_pid)
    consumer = start_consumer(env)
    try:
        consumer_before = rss_mb(consumer.pid)
        # Only a POST starts a job: the GET shows the confirmation with its CSRF token.
        confirmation = session.get(f"{base}{EXPORT_PATH}", timeout=60).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', confirmation)
        if token is None:
            raise RuntimeError("the export's confirmation page carries no CSRF token")
        started = time.perf_counter()
        response = session.post(f"{base}{EXPORT_PATH}", data={"csrf_token": token.group(1)},
                                allow_redirects=False, timeout=60)
        request_ms = (time.perf_counter() - started) * 1000
        healthz: list[float] = []
        consumer_peak = consumer_before
        while True:
            row = _newest_export(engine, last_id)
            if row is not None and row.status in ("done", "failed"):
                break
            if time.perf_counter() - started > JOB_TIMEOUT_S:
                raise RuntimeError("the export job did not finish")
            probe = time.perf_counter()
            requests.get(f"{base}/healthz", timeout=60)
            healthz.append((time.perf_counter() - probe) * 1000)
            consumer_peak = max(consumer_peak, rss_mb(consumer.pid))
            time.sleep(0.05)
        job_s = time.perf_counter() - started
        consumer_after = rss_mb(consumer.pid)
    finally:
        stop(consumer)
    download_ms = None
    if row.status == "done":
        probe = time.perf_counter()
        download = session.get(f"{base}/exports/{row.id}/download", timeout=120)
        download_ms = round((time.perf_counter() - probe) * 1000, 1)
        download_bytes = len(download.content)
    engine.dispose()
    workers_after_job = workers_rss(gunicorn_pid)
    probe = time.perf_counter()
    streamed = session.get(f"{base}{CSV_PATH}", timeout=300)
    csv_ms = round((time.perf_counter() - probe) * 1000, 1)
    healthz.sort()
    return {
        "request_status": response.status_code,
        "redirect": response.headers.get("Location"),
        "request_ms": round(request_ms, 1),
        "status": row.status, "error": row.error, "rows": row.row_count,
        "job_s": round(job_s, 2),
        "job_server_s": _seconds_between(row.created_at, row.finished_at),
        "healthz_during_job": {
            "probes": len(healthz),
            "p50_ms": round(statistics.median(healthz), 2) if healthz else None,
            "max_ms": round(healthz[-1], 2) if healthz else None,
            "p50_ratio_to_baseline": (round(statistics.median(healthz) / baseline_p50_ms, 1)
                                      if healthz else None),
        },
        "download_ms": download_ms,
        "download_bytes": download_bytes if download_ms is not None else None,
        "csv": {"ms": csv_ms, "bytes": len(streamed.content),
                "rows": streamed.text.count("\n") - 1},
        "workers_rss_mb": {"before": workers_before, "after_job": workers_after_job,
                           "after_csv": workers_rss(gunicorn_pid)},
        "consumer_rss_mb": {"before": consumer_before, "peak": consumer_peak,
                            "after": consumer_after},
    }


def describe(result: dict[str, Any]) -> str:
    health = result["healthz_during_job"]
    lines = [
        f"XLSX export of the leads as a job ({EXPORT_PATH}): request {result['request_ms']:.0f} ms "
        f"→ {result['request_status']} {result['redirect'] or ''}",
        f"  job {result['status']}: {result['rows']} rows in {result['job_s']:.1f} s "
        f"(request to finished file; {result['job_server_s']} s from the row's creation to "
        f"its finish){'; ' + result['error'] if result['error'] else ''}",
        f"  /healthz while the job ran: {health['probes']} probes, p50 {health['p50_ms']} ms "
        f"({health['p50_ratio_to_baseline']}× baseline), max {health['max_ms']} ms",
        f"  download: {result['download_ms']} ms, {result['download_bytes']} bytes",
        f"  streamed CSV ({CSV_PATH}): {result['csv']['rows']} rows, {result['csv']['bytes']} "
        f"bytes in {result['csv']['ms']:.0f} ms",
        f"  gunicorn workers RSS MB: before {result['workers_rss_mb']['before']}, after the "
        f"job {result['workers_rss_mb']['after_job']}, after the CSV "
        f"{result['workers_rss_mb']['after_csv']}",
        f"  consumer RSS MB: before {result['consumer_rss_mb']['before']}, "
        f"peak {result['consumer_rss_mb']['peak']}, after {result['consumer_rss_mb']['after']}",
    ]
    return "\n".join(lines)
