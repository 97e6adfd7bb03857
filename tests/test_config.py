import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_production_without_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@127.0.0.1/x")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config("production")


def test_production_without_database_url_refuses_to_start(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_config("production")


def test_production_wsgi_exits_with_a_one_line_message():
    env = {"ETABLERA_ENV": "production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0] and "DATABASE_URL" in lines[0]


def test_testing_config_never_reads_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://prod@127.0.0.1/production")
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    assert load_config("testing").SQLALCHEMY_DATABASE_URI == "sqlite://"


def test_development_defaults_to_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    uri = load_config("development").SQLALCHEMY_DATABASE_URI
    assert uri.startswith("sqlite:///") and uri.endswith("instance/etablera.db")


def test_development_links_follow_the_port_make_run_serves_on(monkeypatch):
    """Issue 18: e-mail links, the digest preview and the calendar URL work on another
    port (`make run PORT=5055` sets FLASK_RUN_PORT for flask run and for BASE_URL)."""
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setenv("FLASK_RUN_HOST", "192.168.1.20")
    monkeypatch.setenv("FLASK_RUN_PORT", "5055")
    assert load_config("development").BASE_URL == "http://192.168.1.20:5055"
    monkeypatch.setenv("BASE_URL", "https://etablera.example/")
    assert load_config("development").BASE_URL == "https://etablera.example"


def test_the_makefile_hands_host_and_port_to_both():
    run = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT)" in run


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError, match="ETABLERA_ENV"):
        load_config("staging")
