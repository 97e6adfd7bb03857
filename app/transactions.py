"""How a request's database transaction ends.

Flask-SQLAlchemy ends every request by removing the session, which rolls its transaction
back. psycopg forgets its prepared statements on every ROLLBACK, so PostgreSQL planned
each statement of each request anew (about 1 ms for the lead list's). A request whose
transaction ran nothing but SELECT statements ends with COMMIT instead: for such a
transaction the same thing as a rollback, and psycopg keeps its prepared statements.

Safe by construction: any statement that is not a compiled SELECT (an INSERT, UPDATE or
DELETE, a flush, text SQL), pending unflushed changes, or an unhandled error leave the
transaction to Flask-SQLAlchemy's rollback.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlalchemy.sql import Select

from app.extensions import db

NOT_READ_ONLY = "etablera_not_read_only"  # key in the DBAPI connection's info


@event.listens_for(Engine, "before_cursor_execute")
def _note_statement(conn, _cursor, _statement, _parameters, context, _executemany) -> None:
    compiled = getattr(context, "compiled", None)
    if compiled is None or not isinstance(compiled.statement, Select):
        conn.info[NOT_READ_ONLY] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_statements(conn) -> None:
    conn.info.pop(NOT_READ_ONLY, None)


@event.listens_for(Pool, "checkin")
def _forget_on_checkin(_dbapi_connection, connection_record) -> None:
    if connection_record is not None:  # None: the connection was detached or invalidated
        connection_record.info.pop(NOT_READ_ONLY, None)


def transaction_only_read() -> bool:
    """Whether the session's open transaction has run SELECT statements and nothing else
    (False when it has none, or changes wait to be flushed)."""
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    return not session.connection().info.get(NOT_READ_ONLY, False)


def _end_read_only_transaction(error: BaseException | None) -> None:
    if error is None and transaction_only_read():
        db.session.commit()


def init_app(app: Flask) -> None:
    """Register after db.init_app: teardown functions run in reverse order, so this one
    runs before Flask-SQLAlchemy removes the session."""
    app.teardown_appcontext(_end_read_only_transaction)
