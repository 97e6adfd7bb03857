"""A real SMTP server on loopback (aiosmtpd), recording what it receives."""

from __future__ import annotations

import asyncio
import email
import shutil
import socket
import ssl
import subprocess
import threading
from collections import Counter
from email import policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A free loopback port (aiosmtpd cannot bind port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Recorder:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        with self.server.lock:
            self.server.received.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 OK"


class SmtpServer:
    """Start, stop and start again on the same port; `received` survives restarts."""

    def __init__(self, tls_context: ssl.SSLContext | None = None, delay: float = 0) -> None:
        self.port = free_port()
        self.delay = delay  # seconds before accepting each message (a slow server)
        self.tls_context = tls_context
        self.received: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        kwargs = {}
        if self.tls_context is not None:
            kwargs = {"tls_context": self.tls_context, "require_starttls": True}
        self.controller = Controller(_Recorder(self), hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = [content for _rcpt, content in self.received]
        return [email.message_from_bytes(content, policy=policy.default) for content in raw]

    def raw(self) -> list[bytes]:
        with self.lock:
            return [content for _rcpt, content in self.received]

    def recipient_counts(self) -> Counter:
        with self.lock:
            return Counter(address for rcpt, _content in self.received for address in rcpt)

    def settings(self, **extra) -> dict:
        """App settings that send through this server."""
        return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port,
                "MAIL_TIMEOUT": 5, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, **extra}


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """(cert, key) of a self-signed certificate for 127.0.0.1 made with the openssl CLI."""
    if shutil.which("openssl") is None:
        raise RuntimeError("the TLS tests need the openssl command (apt-get install openssl)")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key
