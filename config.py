"""Settings for Etablera, read from the environment (and an optional `.env`).

`ETABLERA_ENV` chooses the class: `development` (default), `testing` or
`production`. Every setting is read when the config object is created, so a
test or a CLI run sees the environment as it is at that moment.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import overload

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

load_dotenv(BASE_DIR / ".env")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message is one line for the operator."""


@overload
def _env(name: str) -> str | None: ...
@overload
def _env(name: str, default: str) -> str: ...
def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


# A transparent 1×1 PNG: the tile layer used by the tests (nothing leaves the machine).
BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"

    def __init__(self) -> None:
        self.SECRET_KEY = _env("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # Seconds to wait for PostgreSQL to answer a new connection (psycopg's minimum
        # is 2): pages give up with a 503 instead of hanging; /healthz waits less.
        self.DATABASE_CONNECT_TIMEOUT = _env_int("DATABASE_CONNECT_TIMEOUT", 10)
        self.HEALTH_DATABASE_TIMEOUT = _env_int("HEALTH_DATABASE_TIMEOUT", 2)
        self.BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.TIMEZONE = _env("TIMEZONE", "Europe/Stockholm")

        self.BABEL_DEFAULT_LOCALE = "sv"
        self.BABEL_DEFAULT_TIMEZONE = self.TIMEZONE
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
        self.LANGUAGES = ("sv", "en")

        self.MAIL_BACKEND = _env("MAIL_BACKEND", "file")
        self.MAIL_SERVER = _env("MAIL_SERVER", "localhost")
        self.MAIL_PORT = _env_int("MAIL_PORT", 25)
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
        self.MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
        self.MAIL_USERNAME = _env("MAIL_USERNAME")
        self.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        self.MAIL_DEFAULT_SENDER = _env(
            "MAIL_DEFAULT_SENDER", "Etablera <etablera@logistikregionen.example>"
        )
        self.MAIL_TIMEOUT = min(_env_int("MAIL_TIMEOUT", 20), 30)
        self.MAIL_OUTBOX = _env("MAIL_OUTBOX", str(INSTANCE_DIR / "outbox"))

        # Weekly digest: sent from DIGEST_DAY at DIGEST_TIME (in TIMEZONE) on.
        self.DIGEST_DAY = _env("DIGEST_DAY", "monday")
        self.DIGEST_TIME = _env("DIGEST_TIME", "07:00")
        self.DIGEST_SKIP_EMPTY = _env_bool("DIGEST_SKIP_EMPTY", True)
        self.DIGEST_OVERDUE_AFTER = timedelta(hours=_env_int("DIGEST_OVERDUE_AFTER_HOURS", 2))
        self.STALE_LEAD_DAYS = _env_int("STALE_LEAD_DAYS", 21)
        # Digest sections: at most this many lines each ("… and N more" after them);
        # shares awaiting a response count as new for this many days.
        self.DIGEST_SECTION_LIMIT = _env_int("DIGEST_SECTION_LIMIT", 10)
        self.DIGEST_NEW_SHARE_DAYS = _env_int("DIGEST_NEW_SHARE_DAYS", 14)
        # Follow-up reminders missed while the scheduler was down are sent when it
        # returns, if their time is at most this long ago.
        self.REMINDER_CATCH_UP = timedelta(days=_env_int("REMINDER_CATCH_UP_DAYS", 3))
        # Deliveries (digests, reminders): claim lease, retries with back-off.
        self.DELIVERY_LEASE = timedelta(minutes=15)
        self.DELIVERY_MAX_ATTEMPTS = _env_int("DELIVERY_MAX_ATTEMPTS", 6)
        self.DELIVERY_RETRY_BASE = timedelta(minutes=5)
        self.SCHEDULER_STALE_AFTER = timedelta(minutes=10)

        self.MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = False
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_DURATION = timedelta(days=14)
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
        self.WTF_CSRF_TIME_LIMIT = 8 * 3600

        # Login throttling (app/auth/throttle.py): failures within the window, per e-mail
        # (holding back only the addresses that failed for it) and per client address.
        self.LOGIN_MAX_FAILURES = 10
        self.LOGIN_MAX_FAILURES_PER_ADDRESS = 50
        self.LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted
        # (werkzeug's ProxyFix); 0 = none, the socket's address is the client's.
        self.PROXY_HOPS = _env_int("PROXY_HOPS", 0)
        self.PASSWORD_RESET_MAX_AGE = 3600
        self.INVITATION_MAX_AGE = 7 * 24 * 3600

        self.BENCH_ROUTES = _env_bool("ETABLERA_BENCH")

        # Web and API inquiries (app/intake): the municipality that owns an inquiry
        # without a single preferred municipality; the public form's abuse guards — a
        # submission faster than INTAKE_MIN_FILL_SECONDS is a bot's, and each client
        # address may send INTAKE_RATE_LIMIT (Flask-Limiter's notation). The counts live
        # in RATELIMIT_STORAGE_URI: production sets redis://…, so that every worker counts
        # together; without it each process counts alone (memory://).
        self.INTAKE_MUNICIPALITY = _env("INTAKE_MUNICIPALITY", "orebro")
        self.INTAKE_MIN_FILL_SECONDS = _env_int("INTAKE_MIN_FILL_SECONDS", 4)
        self.INTAKE_RATE_LIMIT = _env("INTAKE_RATE_LIMIT", "5 per 10 minutes;20 per day")
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_KEY_PREFIX = _env("RATELIMIT_KEY_PREFIX", "etablera")

        # Exports (app/exports): an XLSX of more rows is made by a job of the task queue
        # (Huey: SQLite file by default, HUEY_URL=redis://… in production) and kept for
        # EXPORT_RETENTION in EXPORTS_DIR, downloadable by its requester alone.
        self.HUEY_URL = _env("HUEY_URL", f"sqlite:///{INSTANCE_DIR / 'huey.db'}")
        self.HUEY_IMMEDIATE = _env_bool("HUEY_IMMEDIATE")
        self.EXPORT_JOB_THRESHOLD = _env_int("EXPORT_JOB_THRESHOLD", 5000)
        self.EXPORT_RETENTION = timedelta(hours=24)
        self.EXPORTS_DIR = _env("EXPORTS_DIR", str(INSTANCE_DIR / "exports"))

        # Maps and geocoding (app/maps, app/sites/geocoding.py).
        self.MAP_TILE_URL = _env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
        self.MAP_TILE_ATTRIBUTION = _env(
            "MAP_TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        )
        self.GEOCODER_URL = _env("GEOCODER_URL", "https://nominatim.openstreetmap.org")
        self.GEOCODER_USER_AGENT = _env(
            "GEOCODER_USER_AGENT", "Etablera/1.0 (Logistikregionen; etablera@logistikregionen.example)"
        )
        self.GEOCODER_TIMEOUT = float(_env("GEOCODER_TIMEOUT", "10"))

    def validate(self) -> None:
        """Raise ConfigError when the settings cannot run this environment."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "dev-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = (
            self.SQLALCHEMY_DATABASE_URI or f"sqlite:///{INSTANCE_DIR / 'etablera.db'}"
        )
        # Links in e-mails, the digest preview and the calendar URL follow the host and
        # port `make run` serves on (FLASK_RUN_HOST/PORT, which `flask run` reads too),
        # unless BASE_URL says otherwise.
        if not os.environ.get("BASE_URL"):
            host = _env("FLASK_RUN_HOST", "127.0.0.1")
            self.BASE_URL = f"http://{host}:{_env('FLASK_RUN_PORT', '5000')}"


class TestingConfig(Config):
    """Tests never read DATABASE_URL: SQLite unless TEST_DATABASE_URL is set."""

    ENV_NAME = "testing"
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
        self.SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
        # file unless a test starts the app in a subprocess against its own SMTP server
        self.MAIL_BACKEND = _env("TEST_MAIL_BACKEND", "file")
        self.BASE_URL = "http://etablera.test"
        self.LOGIN_MAX_FAILURES = 10
        # No request leaves the machine in tests: a blank tile and an unreachable geocoder.
        self.MAP_TILE_URL = _env("TEST_MAP_TILE_URL", BLANK_TILE)
        self.GEOCODER_URL = "http://127.0.0.1:9"
        self.GEOCODER_TIMEOUT = 2.0
        # Jobs of the task queue run at once, in the request that enqueues them.
        self.HUEY_IMMEDIATE = True


class ProductionConfig(Config):
    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PREFERRED_URL_SCHEME = "https"

    def validate(self) -> None:
        missing = [
            name
            for name, value in (
                ("SECRET_KEY", self.SECRET_KEY),
                ("DATABASE_URL", self.SQLALCHEMY_DATABASE_URI),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                f"Production needs {' and '.join(missing)} set in the environment; refusing to start."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(env_name: str | None = None) -> Config:
    """The config object for `env_name`, else for `ETABLERA_ENV`, validated."""
    name = (env_name or _env("ETABLERA_ENV", "development")).strip().lower()
    if name not in CONFIGS:
        raise ConfigError(f"ETABLERA_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    config = CONFIGS[name]()
    config.validate()
    return config
