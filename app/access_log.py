"""Access logs without secrets.

A request line can carry a credential: the calendar feed's secret
(`/calendar/<secret>.ics`), a password-reset or invitation token (`/reset/<token>`,
`/invitation/<token>`), a `token=` query value, an `Authorization` header. `redact_secrets`
is the one rule that replaces them by "[borttaget]"; the development server's log
(`RedactingFilter` on the `werkzeug` logger, installed by app/security.py) and gunicorn's
(`RedactingGunicornLogger`, deploy/gunicorn.conf.py) both use it.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "[borttaget]"

# Paths whose last segment is a credential, and credentials in query strings.
_SECRET_PATHS = re.compile(
    r"(?P<prefix>/(?:calendar|reset|invitation)/)(?P<secret>[^/?#\s\"]+?)(?P<suffix>\.ics)?(?=[?#\s\"]|$)")
_SECRET_QUERY = re.compile(
    r"(?P<prefix>(?:^|[?&\s])(?:token|access_token|api_token|secret|key|signature)=)(?P<secret>[^&#\s\"]*)",
    re.IGNORECASE)
_AUTHORIZATION = re.compile(r"(?P<prefix>\b(?:Bearer|Basic|Token)\s+)(?P<secret>[^\s\"]+)",
                            re.IGNORECASE)


def redact_secrets(text: str) -> str:
    """`text` (a request line, a path or a log message) with every credential it carries
    replaced by "[borttaget]": /calendar/<secret>.ics, /reset/<token>, /invitation/<token>,
    `token=…` (and similar) query values and `Bearer …` authorisation values."""
    text = _SECRET_PATHS.sub(lambda m: f"{m['prefix']}{REDACTED}{m['suffix'] or ''}", text)
    text = _SECRET_QUERY.sub(lambda m: f"{m['prefix']}{REDACTED}", text)
    return _AUTHORIZATION.sub(lambda m: f"{m['prefix']}{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """Rewrites a log record (werkzeug's request lines) so that no secret reaches a
    handler: the message is formatted once and redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Put one RedactingFilter on `logger` (default: werkzeug's, used by `flask run`)."""
    logger = logger or logging.getLogger("werkzeug")
    if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
        logger.addFilter(RedactingFilter())


# Request headers and environ values that are credentials as a whole.
_SECRET_ATOMS = {"{authorization}i", "{cookie}i", "{proxy-authorization}i",
                 "{http_authorization}e", "{http_cookie}e", "{http_proxy_authorization}e",
                 "{set-cookie}o"}


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger whose access-log atoms (request line, path, query, referrer,
    headers, environ) have their secrets replaced, whatever `access_log_format` uses."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if key.lower() in _SECRET_ATOMS:
                atoms[key] = REDACTED
            elif isinstance(value, str):
                atoms[key] = redact_secrets(value)
        return atoms
