"""One-time submission tokens: a double click or a resubmit creates one object.

Every create form carries a token made when the form is rendered (app.forms.OneTimeForm).
The route runs the service that creates the object inside `recording(...)`, which stores
the token (a FormSubmission row) in the SAME transaction as the object. The same token
again finds that row (`earlier`) and the route shows the object instead of creating a
second. Two requests with one token at the same moment: the second's commit violates the
token's unique constraint (or the object's own), is rolled back, and `recording` raises
AlreadySaved with the first's row. A token is bound to its user (unique per user), so a
token of another user is an unknown token; a missing or malformed token (a page cached
before the tokens) is replaced by a new one and works once. Rows older than PRUNE_AFTER
are pruned lazily, per user, when the user records the next one.

Unique constraints of the objects themselves (a codename, an e-mail) that the services
check before inserting can still be violated by a concurrent request: `violates` tells
the route which constraint failed, so it answers with a field error instead of a 500.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask import flash, redirect, request
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.clock import utcnow
from app.extensions import Model, db
from app.forms import new_submission_token
from app.submissions.models import FormSubmission
from app.viewer import Viewer

PRUNE_AFTER = timedelta(days=7)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AlreadySaved(Exception):
    """The form's token was recorded by a concurrent request that created `submission`."""

    def __init__(self, submission: FormSubmission) -> None:
        super().__init__("already saved")
        self.submission = submission


def token_of(form: Any) -> str:
    """The form's submitted token, or a new one instead of a missing or malformed one
    (kept in the form, so a form shown again with errors carries it)."""
    field = form.submission_token
    if not isinstance(field.data, str) or not _TOKEN.fullmatch(field.data):
        field.data = new_submission_token()
    return field.data


def _find(user: Viewer, token: str) -> FormSubmission | None:
    return db.session.scalar(sa.select(FormSubmission).where(
        FormSubmission.user_id == user.id, FormSubmission.token == token))


def earlier(user: Viewer, form: Any) -> FormSubmission | None:
    """The object `user` already created with this form's token at this endpoint, if any.
    A token recorded at another endpoint is replaced by a new one."""
    found = _find(user, token_of(form))
    if found is not None and found.endpoint != request.endpoint:
        form.submission_token.data = new_submission_token()
        return None
    return found


@contextmanager
def recording(user: Viewer, form: Any, created: Any) -> Iterator[None]:
    """Store the form's token with the object the block creates, in its transaction.

    `created` is the model class of the object the block adds (the first new instance
    flushed is recorded) or an existing object the block changes (a response to a share).
    Raises AlreadySaved when a concurrent request recorded the token first (its changes
    rolled back); any other IntegrityError is rolled back and raised again."""
    token = token_of(form)
    endpoint = request.endpoint or ""
    session = db.session()
    found: list[Any] = [] if isinstance(created, type) else [created]
    recorded: list[bool] = []

    def note(flushed, _context) -> None:
        if not found:
            found.extend(obj for obj in flushed.new if isinstance(obj, created))

    def record(committing) -> None:
        if recorded:
            return
        committing.flush()
        if not found:
            return
        recorded.append(True)
        obj = found[0]
        committing.execute(sa.delete(FormSubmission).where(
            FormSubmission.user_id == user.id,
            FormSubmission.created_at < utcnow() - PRUNE_AFTER))
        committing.add(FormSubmission(user_id=user.id, token=token, endpoint=endpoint,
                                      object_type=type(obj).__tablename__, object_id=obj.id))

    listeners: list[tuple[str, Callable[..., None]]] = [("before_commit", record)]
    if isinstance(created, type):
        listeners.append(("after_flush", note))
    for name, listener in listeners:
        event.listen(session, name, listener)
    try:
        yield
    except IntegrityError:
        session.rollback()
        first = _find(user, token)
        if first is not None:
            raise AlreadySaved(first) from None
        raise
    finally:
        for name, listener in listeners:
            event.remove(session, name, listener)


def violates(error: IntegrityError, model: type[Model], *columns: str) -> bool:
    """Whether `error` is a violation of the unique constraint of `model`'s table on
    `columns` (PostgreSQL names the constraint; SQLite names the columns)."""
    table = cast(sa.Table, model.__table__)  # a mapped class's table is a Table
    constraint = next((c for c in table.constraints
                       if isinstance(c, sa.UniqueConstraint | sa.PrimaryKeyConstraint)
                       and [col.name for col in c.columns] == list(columns)), None)
    if constraint is None:
        index = next((i for i in table.indexes
                      if i.unique and [col.name for col in i.columns] == list(columns)), None)
        name = str(index.name) if index is not None and index.name else None
    else:
        name = str(constraint.name) if constraint.name else None
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name == name
    message = str(error.orig)
    return message.startswith("UNIQUE constraint failed: ") and message.removeprefix(
        "UNIQUE constraint failed: ") == ", ".join(f"{table.name}.{c}" for c in columns)


def already_saved(url: str) -> Response:
    """The answer to a token used before: the object the first submission created."""
    flash(_("This was already saved."), "info")
    return redirect(url)
