"""Test databases: built once per run by the migrations, copied for every test.

SQLite by default; PostgreSQL when TEST_DATABASE_URL names a database, which is
then the template every test's database is created from (CREATE DATABASE …
TEMPLATE), so each test gets real commits, real connections and a clean slate.
DATABASE_URL is never read here.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
_counter = itertools.count(1)


def is_postgresql() -> bool:
    return TEST_DATABASE_URL.startswith("postgresql")


def migrate_to_head(url: str) -> None:
    """Run every migration against `url` (an empty database) through Flask-Migrate."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        from app.extensions import db

        db.engine.dispose()


class SqliteDatabases:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.db"

    def build_template(self) -> None:
        migrate_to_head(f"sqlite:///{self.template}")

    def fresh(self) -> str:
        path = self.folder / f"test-{next(_counter)}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def empty(self) -> str:
        return f"sqlite:///{self.folder / f'empty-{uuid.uuid4().hex[:8]}.db'}"

    def drop_template(self) -> None:
        self.template.unlink(missing_ok=True)

    def drop(self, url: str) -> None:
        path = Path(make_url(url).database)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresDatabases:
    """Under pytest-xdist each worker migrates its own template (`<NAME>_<worker>`, made
    from scratch and dropped at the end), so workers never migrate one database at once."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        if self.url.drivername == "postgresql":
            self.url = self.url.set(drivername="postgresql+psycopg")
        self.worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        self.template = f"{self.url.database}_{self.worker}" if self.worker else self.url.database
        self.admin = sa.create_engine(
            self.url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
        )

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(statement))

    def build_template(self) -> None:
        if self.worker:
            self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            self._execute(f'CREATE DATABASE "{self.template}"')
        migrate_to_head(self.url.set(database=self.template).render_as_string(hide_password=False))

    def drop_template(self) -> None:
        if self.worker:
            self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    def _create(self, name: str, template: str | None) -> str:
        clause = f' TEMPLATE "{template}"' if template else ""
        self._execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url.set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        return self._create(f"{self.template}_t{os.getpid()}_{next(_counter)}", self.template)

    def empty(self) -> str:
        return self._create(f"{self.template}_e{uuid.uuid4().hex[:8]}", None)

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def databases_for_run(tmp_folder: Path):
    if is_postgresql():
        return PostgresDatabases(TEST_DATABASE_URL)
    return SqliteDatabases(tmp_folder)
