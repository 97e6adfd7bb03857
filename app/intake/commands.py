"""`flask intake client create|revoke`: the partner systems that may post inquiries."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.input_rules import FieldErrors
from app.intake import clients

intake_cli = AppGroup("intake", help="Inquiries from the web form and partner systems.")
client_cli = AppGroup("client", help="Partner systems that may post inquiries.")
intake_cli.add_command(client_cli)


@client_cli.command("create")
@click.option("--name", required=True, help='The partner system, e.g. "Business Sweden".')
@click.option("--source", required=True,
              help="The source its inquiries get, e.g. business_sweden.")
def create(name: str, source: str) -> None:
    """Create an intake client; its token is printed once, on the last line."""
    try:
        token = clients.create_client(name, source)
    except FieldErrors as error:
        raise click.ClickException(
            "; ".join(f"{key}: {' '.join(map(str, messages))}"
                      for key, messages in error.fields.items())) from None
    click.echo(f"Intake client {name!r} created. Its token (shown only now):")
    click.echo(token)


@client_cli.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke the intake client's token: its requests answer 401 from now on."""
    if not clients.revoke_client(name):
        raise click.ClickException(f"No active intake client is called {name!r}.")
    click.echo(f"Intake client {name!r} revoked.")
