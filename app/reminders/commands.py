"""`flask reminders send-due`: what the scheduler runs every minute."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.reminders.service import send_due_reminders

reminders_cli = AppGroup("reminders", help="Reminder e-mails.")


@reminders_cli.command("send-due")
def send_due() -> None:
    """Send every reminder that is due and not yet delivered (safe to repeat)."""
    results = send_due_reminders()
    if not results:
        click.echo("No reminder senders are registered.")
    for name, count in results.items():
        click.echo(f"{name}: {'FAILED (see the log)' if count < 0 else f'{count} sent'}")
    if any(count < 0 for count in results.values()):
        raise SystemExit(1)
