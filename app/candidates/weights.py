"""The weights of the nice-to-have criteria, which an admin may change (the score is the
weighted share of nice-to-haves a site meets: app/candidates/matching.py). Stored in one
row (MatchSettings); criteria it does not name weigh their documented default
(matching.DEFAULT_WEIGHTS, listed in the README)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l

from app import audit
from app.candidates.matching import DEFAULT_WEIGHTS
from app.candidates.models import MatchSettings
from app.clock import utcnow
from app.extensions import db
from app.input_rules import NUMBER_RANGES, FieldErrors
from app.leads.errors import PermissionDenied
from app.locking import update_versioned
from app.viewer import Viewer

SETTINGS_ID = 1


def settings() -> MatchSettings:
    """The stored row (the migration creates it)."""
    row = db.session.get(MatchSettings, SETTINGS_ID)
    if row is None:  # a database made some other way: the defaults, stored on first save
        row = MatchSettings(id=SETTINGS_ID, weights={}, version=1)
        db.session.add(row)
        db.session.flush()
    return row


def weights_of(row: MatchSettings) -> dict[str, int]:
    stored = row.weights or {}
    return {key: int(stored.get(key, default)) for key, default in DEFAULT_WEIGHTS.items()}


def match_weights() -> Mapping[str, int]:
    """Criterion -> weight, as matching uses them; read once per request."""
    if has_request_context():
        if "match_weights" not in g:
            g.match_weights = _read()
        return g.match_weights
    return _read()


def _read() -> dict[str, int]:
    row = db.session.get(MatchSettings, SETTINGS_ID)
    return dict(DEFAULT_WEIGHTS) if row is None else weights_of(row)


def save_weights(actor: Viewer, submitted_version: int | None,
                 weights: Mapping[str, int | None]) -> MatchSettings:
    """Store new weights (admins only), under optimistic locking, audited."""
    if not actor.is_admin:
        raise PermissionDenied()
    low, high = NUMBER_RANGES["weight"]
    after: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key in DEFAULT_WEIGHTS:
        weight = weights.get(key)
        if isinstance(weight, int) and not isinstance(weight, bool) and low <= weight <= high:
            after[key] = weight
        else:
            errors[key] = [str(_l("A whole number from %(low)s to %(high)s.", low=int(low),
                                  high=int(high)))]
    if errors:
        raise FieldErrors(errors)
    row = settings()
    before = weights_of(row)
    update_versioned(row, submitted_version, {"weights": after, "updated_at": utcnow(),
                                              "updated_by_id": actor.id})
    changed_before, changed_after = audit.changes(before, after)
    audit.record(actor, "match_weights.changed", "match_settings", row.id,
                 before=changed_before, after=changed_after)
    db.session.commit()
    if has_request_context():
        g.pop("match_weights", None)
    return row
