"""`make bench`: how long `/healthz` takes to answer 503 when the database accepts
connections and never answers (a hung server or a dead network path), the case a
load balancer must see in seconds. The "database" is a loopback socket that listens
and never replies; the app is asked in process (no gunicorn needed for this figure).
"""

from __future__ import annotations

import socket
import statistics
import time
from typing import Any

REQUESTS = 3


def silent_database() -> socket.socket:
    """A listening socket nobody answers on: connections are accepted by the kernel's
    backlog, then nothing is ever said."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


def measure_healthz_with_database_down() -> dict[str, Any]:
    from app import create_app

    with silent_database() as sock:
        port = sock.getsockname()[1]
        app = create_app("testing",
                         SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://bench@127.0.0.1:{port}/x")
        client = app.test_client()
        timings, statuses = [], set()
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get("/healthz")
            timings.append(time.perf_counter() - started)
            statuses.add(response.status_code)
    return {"path": "/healthz", "requests": REQUESTS, "status": sorted(statuses),
            "median_s": round(statistics.median(timings), 2), "max_s": round(max(timings), 2),
            "timeout_s": app.config["HEALTH_DATABASE_TIMEOUT"]}


def describe(result: dict[str, Any]) -> str:
    return (f"/healthz with the database down (accepts, never answers): "
            f"status {','.join(map(str, result['status']))}, median {result['median_s']:.2f} s, "
            f"max {result['max_s']:.2f} s over {result['requests']} requests "
            f"(HEALTH_DATABASE_TIMEOUT {result['timeout_s']} s)")


if __name__ == "__main__":
    print(describe(measure_healthz_with_database_down()))
