"""The weekly digest e-mail (sections registered by the features)."""


def init_app(app) -> None:
    from app.admin.service import register_warning_check
    from app.digest.commands import digest_cli
    from app.digest.routes import bp
    from app.digest.status import overdue_warnings

    app.cli.add_command(digest_cli)
    app.register_blueprint(bp)
    register_warning_check(overdue_warnings)
