"""`flask digest send|preview`: the same functions the scheduler calls."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.auth.service import find_user_by_email
from app.digest import service
from app.digest.weeks import IsoWeek

digest_cli = AppGroup("digest", help="Weekly digest e-mails.")


def _week(_ctx, _param, value: str | None) -> IsoWeek | None:
    if value is None:
        return None
    try:
        return IsoWeek.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@digest_cli.command("send")
@click.option("--week", callback=_week, help="ISO week, e.g. 2026-W48 (default: the current week).")
@click.option("--user", "email", help="Only this user's digest.")
@click.option("--dry-run", is_flag=True, help="Compose and report, send and record nothing.")
def send(week: IsoWeek | None, email: str | None, dry_run: bool) -> None:
    """Send the week's digests that are due and not yet delivered (safe to repeat)."""
    if email and find_user_by_email(email) is None:
        raise click.BadParameter(f"no user {email}", param_hint="--user")
    report = service.send_weekly_digests(week, email=email, dry_run=dry_run)
    for label, addresses in (("sent" if not dry_run else "would send", report.sent),
                             ("FAILED", report.failed), ("nothing to report", report.skipped)):
        for address in addresses:
            click.echo(f"{label}: {address}")
    click.echo(report.summary())
    if report.failed:
        raise SystemExit(1)


@digest_cli.command("preview")
@click.argument("email")
@click.option("--week", callback=_week, help="ISO week (default: the current week).")
@click.option("--html", is_flag=True, help="Print the HTML part instead of the text.")
def preview(email: str, week: IsoWeek | None, html: bool) -> None:
    """Print EMAIL's digest as it would be sent (nothing is sent or recorded)."""
    user = find_user_by_email(email)
    if user is None:
        raise click.BadParameter(f"no user {email}", param_hint="EMAIL")
    message = service.digest_message(service.compose_digest(user, week))
    click.echo(f"To: {message['To']}")
    click.echo(f"Subject: {message['Subject']}")
    click.echo("")
    part = message.get_body(preferencelist=("html",) if html else ("plain",))
    assert part is not None, "a digest has a plain and an HTML part"
    click.echo(part.get_content())
