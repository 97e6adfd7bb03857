"""Response headers that keep pages to our own assets, and access logs without secrets.

- Content-Security-Policy with a per-request nonce: scripts only from our origin or
  inline with `nonce="{{ csp_nonce() }}"` (Folium's map scripts get it where a map is
  embedded, templates/maps/_embed.html); no inline event handlers, no `eval`. Styles may be
  inline (Folium and Leaflet write `style=` attributes). Images from our origin, `data:`
  and the map tile server (`MAP_TILE_URL`).
- Framing refused (`frame-ancestors 'none'` and `X-Frame-Options: DENY`); HSTS under
  production only.
- `Cache-Control: no-store` on every response but our public static files: pages of a
  signed-in user, exports, the API, the calendar feed and token links alike.
- The development server's access log (the `werkzeug` logger) and the application's
  own log (Flask logs the path of a request that failed) lose their secrets
  (app/access_log.py; gunicorn's access log goes through deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

from app.access_log import install_log_redaction


def _new_nonce() -> None:
    # Set before every request: `g` outlives a request where an app context was pushed
    # around several (a test's client), and a nonce must never serve two responses.
    g.csp_nonce = secrets.token_urlsafe(18)


def csp_nonce() -> str:
    """This request's nonce for inline scripts (`<script nonce="{{ csp_nonce() }}">`)."""
    if "csp_nonce" not in g:
        _new_nonce()
    return g.csp_nonce


def tile_source(tile_url: str | None) -> str | None:
    """The CSP source of the map tiles: scheme and host of `MAP_TILE_URL` (`{s}.` as a
    wildcard subdomain), or None for a `data:` URL or nothing."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(nonce: str, tile_url: str | None) -> str:
    images = " ".join(filter(None, ["'self'", "data:", tile_source(tile_url)]))
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "connect-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _set_headers(response: Response) -> Response:
    config = current_app.config
    response.headers["Content-Security-Policy"] = content_security_policy(
        csp_nonce(), config.get("MAP_TILE_URL"))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if config.get("ENV_NAME") == "production":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.before_request(_new_nonce)
    app.after_request(_set_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    install_log_redaction()  # werkzeug's request lines (`flask run`)
    install_log_redaction(app.logger)  # "Exception on /calendar/<secret>.ics [GET]"
