"""Address → coordinates with geopy's Nominatim client, for the site form.

- Endpoint (`GEOCODER_URL`), user agent and timeout come from the configuration.
- At most one request per second for the whole application, across processes: a
  timestamp row (geocoder_throttle) is taken under a lock — SELECT … FOR UPDATE on
  PostgreSQL, an UPDATE first (SQLite's write lock) on SQLite — and held while we wait
  for our turn. geopy's RateLimiter would only limit one process.
- Results (also "nothing found") are cached in geocode_cache.
- Never blocks saving: failures raise GeocoderUnavailable with a message for the user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from app.clock import utcnow
from app.extensions import db
from app.sites.models import GeocodeResult, GeocoderThrottle

MIN_INTERVAL_S = 1.0


class GeocoderUnavailable(Exception):
    """The geocoder did not answer (down, timeout, refused)."""


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    display_name: str


def normalise(query: str) -> str:
    return " ".join(query.split()).lower()[:300]


def _client() -> Nominatim:
    config = current_app.config
    url = urlsplit(config["GEOCODER_URL"])
    domain = url.netloc + url.path.rstrip("/")
    return Nominatim(domain=domain, scheme=url.scheme or "https",
                     user_agent=config["GEOCODER_USER_AGENT"], timeout=config["GEOCODER_TIMEOUT"])


def _cached(key: str) -> sa.Row | None:
    with db.engine.connect() as connection:
        row = connection.execute(sa.select(GeocodeResult.__table__).where(
            GeocodeResult.query == key)).first()
    return row


def _store(key: str, place: Place | None) -> None:
    table = cast(sa.Table, GeocodeResult.__table__)
    try:
        with db.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.query == key))
            connection.execute(table.insert().values(
                query=key, lat=place.lat if place else None, lon=place.lon if place else None,
                display_name=place.display_name[:500] if place else None, created_at=utcnow()))
    except sa.exc.IntegrityError:  # another process cached it at the same moment
        pass


def wait_for_turn(sleep: Callable[[float], None] = time.sleep,
                  now: Callable[[], datetime] = utcnow) -> datetime:
    """Block until this process may send the next request (1/s across all processes);
    returns the time of this process's turn. `sleep` and `now` are the clock (tests
    pass a fake one).

    Runs in its own connection and transaction, so the caller's session is untouched.
    """
    table = cast(sa.Table, GeocoderThrottle.__table__)
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # Take SQLite's write lock before reading: a second process waits here.
            connection.execute(table.update().where(table.c.id == 1).values(id=1))
            last = connection.scalar(sa.select(table.c.last_request_at).where(table.c.id == 1))
        else:
            last = connection.scalar(
                sa.select(table.c.last_request_at).where(table.c.id == 1).with_for_update())
        if last is None and connection.scalar(sa.select(sa.func.count()).select_from(table)) == 0:
            connection.execute(table.insert().values(id=1, last_request_at=None))
        turn = now()
        if isinstance(last, datetime):
            waited = (turn - last).total_seconds()
            if 0 <= waited < MIN_INTERVAL_S:
                sleep(MIN_INTERVAL_S - waited)
                turn = now()
        connection.execute(table.update().where(table.c.id == 1).values(last_request_at=turn))
    return turn


def geocode(query: str, *, sleep: Callable[[float], None] = time.sleep,
            now: Callable[[], datetime] = utcnow) -> Place | None:
    """The best match in Sweden for an address (Swedish names), or None if none.
    Raises GeocoderUnavailable when the geocoder cannot be reached or times out.
    `sleep` and `now` are the throttle's clock (see `wait_for_turn`)."""
    key = normalise(query)
    if not key:
        return None
    cached = _cached(key)
    if cached is not None:
        if cached.lat is None:
            return None
        return Place(cached.lat, cached.lon, cached.display_name or "")
    wait_for_turn(sleep, now)
    try:
        location = _client().geocode(query.strip(), exactly_one=True, country_codes="se",
                                     language="sv")
    except (GeopyError, OSError, ValueError) as error:
        current_app.logger.warning("geocoder failed for %r: %s", key, error)
        raise GeocoderUnavailable(str(error)) from error
    place = None if location is None else Place(location.latitude, location.longitude,
                                                location.address or "")
    _store(key, place)
    return place
