"""The mail log's own copy of a message, without the secrets the message carries.

A message is sent as rendered; the log (`MailMessage.subject`, `.body_text`)
keeps a copy in which every secret reads "[borttaget]", so that an admin
reading /admin/mail cannot take over an account (a reset or invitation link)
or read someone's calendar (a feed URL).

The sender knows what is secret and says so: a context value wrapped in
`Secret(...)` renders as itself in the sent message and is removed from the
log copy (`send_to_user(user, "password_reset", …, link=Secret(link))`);
values that are not in the context are passed as `secrets=[…]`. A regex
safety net then removes the URL shapes of the secret routes (reset,
invitation, calendar feed), any URL with a token-like query parameter or
path segment, and API tokens, for a caller that forgot to mark one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[borttaget]"

# A URL (absolute, or a path starting with "/") ends at white space or a delimiter
# that cannot be part of it in our mails.
_URL_BODY = r"[^\s<>\"')\]]*"
_SECRET_ROUTE = re.compile(
    r"(?:https?://[^\s<>\"']*?)?"
    r"(?:/(?:reset|invitation)/[^\s<>\"'/?#]+|/calendar/[^\s<>\"'/]+\.ics)" + _URL_BODY,
    re.IGNORECASE,
)
# Any absolute URL; checked for token-like parts below.
_URL = re.compile(r"https?://" + _URL_BODY, re.IGNORECASE)
_TOKEN_QUERY = re.compile(r"[?&#;](?:[\w.-]*(?:token|secret|key|signature|sig|code|auth)[\w.-]*)=",
                          re.IGNORECASE)
# A path segment of 20+ URL-safe characters mixing letters and digits: a token, not a word.
_TOKEN_SEGMENT = re.compile(r"/(?=[A-Za-z0-9._~-]*\d)(?=[A-Za-z0-9._~-]*[A-Za-z])"
                            r"[A-Za-z0-9._~-]{20,}(?=[/?#]|$)")
# Personal API tokens (app.auth.service.issue_api_token).
_API_TOKEN = re.compile(r"\betb_[A-Za-z0-9_-]{16,}")


class Secret(str):
    """A context value that is sent as is but never kept in the mail log."""

    __slots__ = ()


def secrets_in(context: Mapping[str, Any]) -> list[str]:
    """The `Secret` values among a template context's values."""
    return [value for value in context.values() if isinstance(value, Secret)]


def _redact_url(match: re.Match) -> str:
    url = match.group(0)
    if _TOKEN_QUERY.search(url) or _TOKEN_SEGMENT.search(url.split("://", 1)[-1]):
        return REDACTED
    return url


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with each of `secrets` and every secret-shaped URL or token replaced by
    "[borttaget]". Longer secrets first, so that a link is removed whole before a
    token inside it."""
    for secret in sorted({str(s) for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _SECRET_ROUTE.sub(REDACTED, text)
    text = _URL.sub(_redact_url, text)
    return _API_TOKEN.sub(REDACTED, text)
