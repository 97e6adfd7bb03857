"""`flask users …`: create accounts (with an invitation) and print API tokens."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.auth import service
from app.auth.models import Role
from app.core.service import municipality_by_slug

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--municipality", "slug", required=True, help="orebro, hallsberg, kumla or arboga")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--locale", type=click.Choice(["sv", "en"]), default="sv")
def create_user(email: str, name: str, slug: str, role: str, locale: str) -> None:
    """Create a user and e-mail an invitation to set a password."""
    municipality = municipality_by_slug(slug)
    if municipality is None:
        raise click.BadParameter(f"unknown municipality {slug!r}", param_hint="--municipality")
    if service.find_user_by_email(email) is not None:
        raise click.BadParameter(f"{email} already has an account", param_hint="--email")
    user = service.create_user(
        email=email, name=name, municipality=municipality, role=Role(role), locale=locale,
        invite=False,
    )
    sent = service.send_invitation(user)
    if sent.failed:
        click.echo(f"Created {user.email} ({user.role}, {municipality.slug}), but the invitation "
                   f"could NOT be sent: {sent.error}", err=True)
        raise SystemExit(1)
    click.echo(f"Created {user.email} ({user.role}, {municipality.slug}); invitation sent.")


@users_cli.command("token")
@click.argument("email")
def token(email: str) -> None:
    """Print a new personal API token for EMAIL (on the last line)."""
    user = service.find_user_by_email(email)
    if user is None:
        raise click.BadParameter(f"no user {email}", param_hint="EMAIL")
    raw = service.issue_api_token(user)
    click.echo(f"New API token for {user.email} (shown once):")
    click.echo(raw)
