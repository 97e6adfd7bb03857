"""`flask exports worker` runs the task queue's consumer; `flask exports purge` deletes
expired export files at once (the consumer also does it every ten minutes)."""

from __future__ import annotations

import logging

import click
from flask.cli import AppGroup

from app.exports import queue, service

exports_cli = AppGroup("exports", help="Exports run by the task queue.")


@exports_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker(workers: int) -> None:
    """Run the consumer of the task queue (HUEY_URL) until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    queue.create_consumer(workers).run()


@exports_cli.command("purge")
def purge() -> None:
    """Delete the files of expired exports."""
    click.echo(f"{service.delete_expired_exports()} expired export(s) deleted.")
