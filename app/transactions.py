"""How a request's database transaction ends.

Flask-SQLAlchemy ends every request by removing the session, which rolls its transaction
back. psycopg forgets its prepared statements on every ROLLBACK, so PostgreSQL planned
each statement of each request anew (about 1 ms for the lead list's). A request whose
transaction ran nothing but SELECT statements ends with COMMIT instead: for such a
transaction the same thing as a rollback, and psycopg keeps its prepared statements.

Safe by construction: any statement that is not a compiled SELECT (an INSERT, UPDATE or
DELETE, a flush, text SQL), pending unflushed changes, or an unhandled error leave the
transaction to Flask-SQLAlchemy's rollback.

When the database is down the teardown never opens a connection (it only looks at the
one the transaction already holds) and never raises: the request's own error handler
has already answered 503 (app.errors), and an error in teardown would replace that
answer with the server's bare 500.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import Pool
from sqlalchemy.sql import Select

from app.extensions import db

log = logging.getLogger(__name__)

NOT_READ_ONLY = "etablera_not_read_only"  # key in the DBAPI connection's info
CONNECTION = "etablera_connection"  # key in the session's info: its transaction's connection


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


@event.listens_for(Session, "after_begin")
def _note_connection(session, _transaction, connection) -> None:
    session.info[CONNECTION] = connection


@event.listens_for(Session, "after_transaction_end")
def _forget_connection(session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(CONNECTION, None)


def transaction_only_read() -> bool:
    """Whether the session's open transaction has run SELECT statements and nothing else
    (False when it has none, holds no connection, or changes wait to be flushed).
    Never connects."""
    session = db.session()
    connection = session.info.get(CONNECTION)
    if connection is None or not session.in_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    return not connection.info.get(NOT_READ_ONLY, False)


def _end_read_only_transaction(error: BaseException | None) -> None:
    try:
        if error is None and transaction_only_read():
            db.session.commit()
    except SQLAlchemyError as failure:  # the database went away: the rollback follows
        log.warning("could not end a read-only transaction: %s", failure)


def init_app(app: Flask) -> None:
    """Register after db.init_app: teardown functions run in reverse order, so this one
    runs before Flask-SQLAlchemy removes the session."""
    app.teardown_appcontext(_end_read_only_transaction)
