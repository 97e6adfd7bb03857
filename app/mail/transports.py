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
    def send(self, message: EmailMessage) -> str | None:
        """Deliver `message`; return where it was written (file transport) or None.

        Raises on failure (OSError, smtplib.SMTPException, ssl.SSLError)."""


class FileTransport:
    """Writes each message as an .eml file into MAIL_OUTBOX (instance/outbox/)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(bytes(message))
        return name


class ConsoleTransport:
    def send(self, message: EmailMessage) -> None:
        sys.stdout.write(message.as_string() + "\n")
        sys.stdout.flush()
        return None


class SmtpTransport:
    """smtplib with verified TLS (STARTTLS or implicit), a timeout and optional login.

    The TLS context is always `ssl.create_default_context()` (certificate and host
    name checked against the system's CAs); only tests pass their own context
    through MAIL_SSL_CONTEXT to trust a local test CA. MAIL_USE_SSL (implicit
    TLS, port 465) wins over MAIL_USE_TLS (STARTTLS, port 587).
    """

    def __init__(self, config: dict) -> None:
        self.host = config["MAIL_SERVER"]
        self.port = config["MAIL_PORT"]
        self.use_tls = config["MAIL_USE_TLS"]
        self.use_ssl = config["MAIL_USE_SSL"]
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.timeout = min(config["MAIL_TIMEOUT"], 30)
        self.ssl_context = config.get("MAIL_SSL_CONTEXT") or ssl.create_default_context()

    def send(self, message: EmailMessage) -> None:
        client: smtplib.SMTP
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
        return None


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
