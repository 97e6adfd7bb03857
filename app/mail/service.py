"""Compose and send e-mail in the recipient's language with absolute links.

Every message has a plain-text and an HTML part, rendered from
`templates/mail/<template>.txt` and `.html` under the recipient's locale.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from app.mail.transports import current_transport


def absolute_url(path: str) -> str:
    """A link for an e-mail, built from BASE_URL (never from the request)."""
    return f"{current_app.config['BASE_URL']}/{path.lstrip('/')}"


def compose(to: str, subject: str, text: str, html: str, to_name: str = "") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Message-ID"] = make_msgid(domain="etablera.local")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def render_mail(template: str, locale: str | None, subject: str, **context) -> tuple[str, str, str]:
    """Render (subject, text, html) of a mail template in `locale` (Swedish by default)."""
    with force_locale(locale or "sv"):
        context.setdefault("base_url", current_app.config["BASE_URL"])
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
        return str(subject), text, html


def send_to_user(user, template: str, subject_factory, **context) -> None:
    """Render `template` in the user's language and send it to them.

    `subject_factory` is called inside the user's locale so that its gettext
    call is translated for the recipient.
    """
    with force_locale(user.locale or "sv"):
        subject = str(subject_factory())
    subject, text, html = render_mail(template, user.locale, subject, user=user, **context)
    current_transport().send(compose(user.email, subject, text, html, to_name=user.name))
