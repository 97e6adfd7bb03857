"""The one place that decides which municipality-owned rows a user may read.

Every query of municipality-owned data goes through `visible_filter`,
`select_visible` or `get_visible_or_404`. A feature registers the rule for
each of its models with `@scope_rule(Model)` in its access module
(`app/leads/access.py`, `app/sites/access.py`; imported with the models by
`app/models.py`); a model without a rule cannot be queried through this module at
all, so nothing is visible by accident. This module imports no feature.

The rule for a municipality's matters (`municipality_matter_rule`):
- advisors and viewers read their own municipality's matters and those shared
  with their municipality;
- admins also read every municipality's non-confidential matters;
- confidential matters stay within the owning municipality and the
  municipalities they are shared with, admins included (secrecy holds
  between municipalities).
Outside your scope an object answers 404, never revealing that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.viewer import Viewer

M = TypeVar("M")
Rule = Callable[[Viewer], ColumnElement[bool]]

_RULES: dict[type, Rule] = {}


def scope_rule(model: type) -> Callable[[Rule], Rule]:
    """Register the visibility rule of `model`: a function from user to SQL criterion."""

    def register(rule: Rule) -> Rule:
        _RULES[model] = rule
        return rule

    return register


def visible_filter(user: Viewer, model: type) -> ColumnElement[bool]:
    """The SQL criterion selecting the rows of `model` that `user` may read."""
    if user is None or not user.is_authenticated or not user.is_active:
        return sa.false()
    try:
        rule = _RULES[model]
    except KeyError:
        raise LookupError(f"no scope rule registered for {model.__name__}") from None
    return rule(user)


def scope_key(user: Viewer) -> tuple:
    """Everything the rules read of a user. A statement built from `visible_filter` embeds
    these values, so it may be built once and reused for every user with the same key
    (app.caching.reused_statement); a rule must read nothing else of the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return (None,)
    return (user.municipality_id, user.is_admin, user.is_advisor)


def select_visible(user: Viewer, model: type[M]) -> sa.Select[M]:
    return sa.select(model).where(visible_filter(user, model))


def get_visible(user: Viewer, model: type[M], ident: int, *options: Any) -> M | None:
    """The object, loaded with `options` (e.g. joinedload), if the user may read it."""
    primary_key = sa.inspect(model).primary_key[0]
    statement = select_visible(user, model).where(primary_key == ident).options(*options)
    return db.session.scalars(statement).unique().first()


def get_visible_or_404(user: Viewer, model: type[M], ident: int, *options: Any) -> M:
    found = get_visible(user, model, ident, *options)
    if found is None:
        abort(404)
    return found


def municipality_matter_rule(
    model: Any, user: Viewer, shared_with: ColumnElement[bool] | None = None
) -> ColumnElement[bool]:
    """The standard rule for a municipality's matters (see the module docstring).

    `model` needs `municipality_id` and `confidential` columns; `shared_with` is
    the criterion "shared with the user's municipality", where the model has shares.
    """
    own = model.municipality_id == user.municipality_id
    partner = shared_with if shared_with is not None else sa.false()
    if user.is_admin:
        return sa.or_(model.confidential.is_(False), own, partner)
    return sa.or_(own, partner)
