"""Reminder e-mails (follow-ups register their sender here)."""


def init_app(app) -> None:
    from app.reminders.commands import reminders_cli

    app.cli.add_command(reminders_cli)
