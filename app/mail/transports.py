"""How a finished message leaves the application, chosen by MAIL_BACKEND."""

from __future__ import annotations

import smtplib
import ssl
import sys
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from flask import current_app

from app.clock import utcnow


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class FileTransport:
    """Writes each message as an .eml file into MAIL_OUTBOX (instance/outbox/)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(bytes(message))


class ConsoleTransport:
    def send(self, message: EmailMessage) -> None:
        sys.stdout.write(message.as_string() + "\n")
        sys.stdout.flush()


class SmtpTransport:
    """smtplib with verified TLS (STARTTLS or implicit), a timeout and optional login."""

    def __init__(self, config: dict) -> None:
        self.host = config["MAIL_SERVER"]
        self.port = config["MAIL_PORT"]
        self.use_tls = config["MAIL_USE_TLS"]
        self.use_ssl = config["MAIL_USE_SSL"]
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.timeout = config["MAIL_TIMEOUT"]
        self.ssl_context = config.get("MAIL_SSL_CONTEXT") or ssl.create_default_context()

    def send(self, message: EmailMessage) -> None:
        if self.use_ssl:
            client = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.ssl_context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.use_tls and not self.use_ssl:
                client.starttls(context=self.ssl_context)
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)


def current_transport() -> Transport:
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "file":
        return FileTransport(config["MAIL_OUTBOX"])
    if backend == "console":
        return ConsoleTransport()
    if backend == "smtp":
        return SmtpTransport(config)
    raise RuntimeError(f"MAIL_BACKEND must be smtp, file or console, not {backend!r}")
