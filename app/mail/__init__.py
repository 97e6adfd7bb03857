"""Outgoing e-mail: one module, several transports (see service.py), and the
log admins read at /admin/mail."""


def init_app(app) -> None:
    from app.admin.service import register_warning_check
    from app.mail.routes import bp, kind_label
    from app.mail.status import given_up_warnings

    app.register_blueprint(bp)
    app.jinja_env.globals["mail_kind_label"] = kind_label
    register_warning_check(given_up_warnings)
