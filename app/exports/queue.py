"""The task queue (Huey) that runs long work off the request path.

Storage from HUEY_URL: `sqlite:///<file>` (default: instance/huey.db, for `make run` and a
single host) or `redis://…` (production, several hosts). Under HUEY_IMMEDIATE (the tests)
a task runs at once in the caller, in memory. The consumer runs the tasks: `flask exports
worker` (deploy/etablera-worker.service), or embedded in the development server by
`make run` (ETABLERA_EMBEDDED_WORKER=1), like the scheduler.
"""

from __future__ import annotations

import atexit
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey
from huey.consumer import Consumer

# Configured by `configure`; immediate (in memory) until then.
huey = Huey("etablera", immediate=True, results=False)
_app: Flask | None = None
_embedded: Consumer | None = None


def configure(app: Flask) -> None:
    """Point the queue at the storage of `app`'s settings; tasks run in `app`."""
    global _app
    _app = app
    if app.config["HUEY_IMMEDIATE"]:
        huey.immediate = True
        return
    url = app.config["HUEY_URL"]
    if url.startswith(("redis://", "rediss://", "unix://")):
        from huey.storage import RedisStorage

        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": url}
    elif url.startswith("sqlite:///"):
        from huey.storage import SqliteStorage

        filename = Path(url.removeprefix("sqlite:///"))
        filename.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": str(filename)}
    else:
        raise ValueError(f"HUEY_URL must start with sqlite:/// or redis://, not {url!r}")
    if huey.immediate:
        huey.immediate = False  # creates the storage
    else:
        huey.storage = huey.create_storage()


@contextmanager
def job_context() -> Iterator[None]:
    """The app context a task runs in: the caller's in immediate mode, else a fresh one
    per run (the consumer's threads have none)."""
    if has_app_context():
        yield
        return
    if _app is None:
        raise RuntimeError("the task queue is not configured (app.exports.queue.configure)")
    with _app.app_context():
        yield


# An idle worker polls SQLite storage at most this many seconds apart (Redis storage
# blocks on the queue and answers at once).
MAX_POLL_DELAY_S = 1.0


def create_consumer(workers: int) -> Consumer:
    return huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                max_delay=MAX_POLL_DELAY_S)


class _QuietConsumer(Consumer):
    """A consumer inside another server's process: leaves its signal handlers alone."""

    def _set_signal_handlers(self) -> None:
        pass


def start_embedded(app: Flask) -> None:
    """Run a consumer in background threads of the development server."""
    global _embedded
    if _embedded is not None or huey.immediate:
        return
    _embedded = _QuietConsumer(huey, workers=1, worker_type="thread", periodic=True,
                               max_delay=MAX_POLL_DELAY_S)
    _embedded.start()
    atexit.register(lambda: _embedded.stop(graceful=False))
    app.logger.info("Embedded task queue consumer started (development server).")
