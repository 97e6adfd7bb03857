"""Compose and send e-mail in the recipient's language with absolute links.

Every message has a plain-text and an HTML part, rendered from
`templates/mail/<template>.txt` and `.html` under the recipient's locale, and
every attempt is logged as a `MailMessage` (see /admin/mail) with the log's
own copy of the subject and text, secrets removed (app.mail.redaction), and
the leads the message is about (`leads=`), which decide whether an admin may
read that copy (`concealed_by`).

Transport failures never propagate: the log row is marked `failed` with the
error, and the caller reads the returned `MailMessage` to tell the user (an
invitation or reset that could not be sent) or to retry (digest and reminder
deliveries).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections import defaultdict
from collections.abc import Iterable, Sequence
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from app import scope
from app.clock import utcnow
from app.core.models import Municipality
from app.deliveries import Claim, record_mail_message
from app.extensions import db
from app.leads.models import Lead
from app.mail.models import MailMessage, MailMessageLead, MailStatus, new_message_id
from app.mail.redaction import redact, secrets_in
from app.mail.transports import current_transport

log = logging.getLogger(__name__)

# What a transport raises when a message cannot leave: the server is down or
# refuses us, TLS fails (a bad certificate), the outbox folder is not writable.
TRANSPORT_ERRORS = (OSError, smtplib.SMTPException, ssl.SSLError)


def absolute_url(path: str) -> str:
    """A link for an e-mail, built from BASE_URL (never from the request)."""
    return f"{current_app.config['BASE_URL']}/{path.lstrip('/')}"


def absolute_url_for(endpoint: str, **values) -> str:
    """`url_for` for e-mails: an absolute URL on BASE_URL, also outside requests."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def compose(to: str, subject: str, text: str, html: str, to_name: str = "") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Message-ID"] = new_message_id()
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def render_mail(template: str, locale: str | None, subject: str, **context) -> tuple[str, str, str]:
    """Render (subject, text, html) of a mail template in `locale` (Swedish by default)."""
    with force_locale(locale or "sv"):
        context.setdefault("base_url", current_app.config["BASE_URL"])
        context.setdefault("url_for_mail", absolute_url_for)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
        return str(subject), text, html


def text_of(message: EmailMessage) -> str:
    """The plain-text part of a composed message."""
    body = message.get_body(preferencelist=("plain",))
    return body.get_content() if body is not None else ""


def deliver(
    message: EmailMessage,
    *,
    kind: str,
    locale: str,
    user=None,
    secrets: Iterable[str] = (),
    leads: Iterable[Any] = (),
    delivery: Claim | None = None,
) -> MailMessage:
    """Send a composed message through the configured transport and log it.

    The log keeps its own copy of the subject and text part with `secrets` (and
    anything shaped like a secret link or token) replaced by "[borttaget]", and
    the `leads` (Lead objects or ids) the message is about.

    For a `delivery` (a claim of app.deliveries) the message carries the
    delivery's Message-ID, and the log row is noted on the claim in the same
    commit that logs it as `sending`. A resend after a crash mid-send reuses the
    earlier attempt's row (so none stays `sending`) and marks it a possible
    duplicate.

    Commits the session twice: the log row as `sending` before the transport
    is called, then its outcome. Callers therefore send after committing the
    change the message reports.
    """
    secrets = list(secrets)
    if delivery is not None:
        del message["Message-ID"]
        message["Message-ID"] = delivery.message_id
    entry = _log_entry(message, delivery)
    resumed = entry.id is not None
    entry.recipient = message["To"].addresses[0].addr_spec
    entry.user_id = getattr(user, "id", None)
    entry.kind = kind[:40]
    entry.subject = redact(str(message["Subject"]), secrets)[:255]
    entry.body_text = redact(text_of(message), secrets)
    entry.locale = locale or "sv"
    entry.message_id = str(message["Message-ID"])[:255]
    db.session.flush()
    lead_ids = {getattr(lead, "id", lead) for lead in leads}
    if resumed:  # keep the earlier attempt's leads: both copies may have arrived
        lead_ids -= set(db.session.scalars(sa.select(MailMessageLead.lead_id).where(
            MailMessageLead.mail_message_id == entry.id)))
    db.session.add_all(MailMessageLead(mail_message_id=entry.id, lead_id=lead_id)
                       for lead_id in sorted(lead_ids))
    if delivery is not None:
        record_mail_message(delivery, entry.id)
    db.session.commit()
    try:
        location = current_transport().send(message)
    except TRANSPORT_ERRORS as error:
        entry.status = MailStatus.FAILED
        entry.error = describe_error(error)
        log.warning("mail %s to %s failed: %s", kind, entry.recipient, entry.error)
    else:
        entry.status = MailStatus.SENT
        entry.sent_at = utcnow()
        entry.eml_path = location
    db.session.commit()
    return entry


def _log_entry(message: EmailMessage, delivery: Claim | None) -> MailMessage:
    """The log row of this attempt, as `sending`: a new one, or for a delivery resent
    after a crash mid-send the earlier attempt's row (its copies may both arrive, so
    the leads of both stay linked)."""
    entry = None
    if delivery is not None and delivery.outcome_unknown and delivery.mail_message_id:
        entry = db.session.get(MailMessage, delivery.mail_message_id)
    if entry is None:
        entry = MailMessage()
        db.session.add(entry)
    entry.status = MailStatus.SENDING
    entry.error = None
    entry.possible_duplicate = delivery is not None and delivery.possible_duplicate
    return entry


def describe_error(error: BaseException) -> str:
    text = str(error) or repr(error)
    return f"{type(error).__name__}: {text}"[:2000]


def render_for_user(user, template: str, subject_factory, **context) -> EmailMessage:
    """The message `send_to_user` would send, without sending or logging it."""
    with force_locale(user.locale or "sv"):
        subject = str(subject_factory())
    subject, text, html = render_mail(template, user.locale, subject, user=user, **context)
    return compose(user.email, subject, text, html, to_name=user.name)


def send_to_user(
    user,
    template: str,
    subject_factory,
    *,
    secrets: Iterable[str] = (),
    leads: Iterable[Any] = (),
    delivery: Claim | None = None,
    **context,
) -> MailMessage:
    """Render `template` in the user's language, send it to them and log it.

    `subject_factory` is called inside the user's locale so that its gettext
    call is translated for the recipient. The template name is the message's
    kind in the log. Context values wrapped in `Secret` and the `secrets` are
    sent but not kept in the log's copy; `leads` are the leads the message is
    about and `delivery` the claim it is sent for (see `deliver`). Never raises
    for a transport failure: the returned
    `MailMessage` says whether it was sent (`.sent`) or failed (`.error`).
    Commits the session (see `deliver`).
    """
    message = render_for_user(user, template, subject_factory, **context)
    return deliver(message, kind=template, locale=user.locale, user=user,
                   secrets=[*secrets, *secrets_in(context)], leads=leads, delivery=delivery)


def concealed_by(user, entries: Sequence[MailMessage]) -> dict[int, list[str]]:
    """For each of `entries` about a lead `user` may not see: the names of the
    municipalities owning such leads (the log shows "Confidential matter of …"
    instead of the copy). Entries whose leads are all visible are left out.
    One query for all entries."""
    ids = [entry.id for entry in entries]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(MailMessageLead.mail_message_id, Municipality.name)
        .join(Lead, Lead.id == MailMessageLead.lead_id)
        .join(Municipality, Municipality.id == Lead.municipality_id)
        .where(MailMessageLead.mail_message_id.in_(ids),
               sa.not_(scope.visible_filter(user, Lead)))
        .distinct()
        .order_by(MailMessageLead.mail_message_id, Municipality.name)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for message_id, name in rows:
        found[message_id].append(name)
    return dict(found)
