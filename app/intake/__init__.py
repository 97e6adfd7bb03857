"""Inquiries that arrive by themselves (issue 19): the public form /inquiry, partner
systems' `POST /api/v1/inquiries`, the intake advisor of each municipality, and the
reminder of an inquiry nobody answered within two working days, and the submitter's
receipt (retried until sent)."""


def init_app(app) -> None:
    from app.intake import api, receipts, reminders
    from app.intake.commands import intake_cli
    from app.intake.routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(intake_cli)
    reminders.register()
    receipts.register()
