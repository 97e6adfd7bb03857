from __future__ import annotations

import click
from flask import current_app

from app.demo.service import seed_demo


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo data that is missing (never resets edited data)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("seed-demo refuses to run under Production.")
    for line in seed_demo():
        click.echo(line)
