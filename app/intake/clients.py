"""Intake clients: partner systems with a bearer token (stored as its SHA-256) that may
do nothing but post inquiries."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.clock import utcnow
from app.extensions import db
from app.forms import column_length
from app.input_rules import FieldErrors, InputRejected, clean_text
from app.intake.models import IntakeClient
from app.leads.models import Source


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_client(name: str, source: str) -> str:
    """A new client; returns its token, which is not stored."""
    errors: dict[str, list[str]] = {}
    try:
        name = clean_text(name, max_length=column_length(IntakeClient.name)) or ""
    except InputRejected as error:
        errors["name"] = [str(error.message)]
    if not name and "name" not in errors:
        errors["name"] = [str(_l("This field is required."))]
    if source not in Source._value2member_map_:
        errors["source"] = [str(_l("Not a valid choice.")) + " (" + ", ".join(Source) + ")"]
    if name and db.session.scalar(sa.select(IntakeClient.id).where(IntakeClient.name == name)):
        errors["name"] = [str(_l("An intake client has this name already."))]
    if errors:
        raise FieldErrors(errors)
    raw = "etbi_" + secrets.token_urlsafe(32)
    client = IntakeClient(name=name, source=source, token_hash=hash_token(raw))
    db.session.add(client)
    db.session.flush()
    audit.record(None, "intake_client.created", "intake_client", client.id,
                 after={"name": name, "source": source})
    db.session.commit()
    return raw


def revoke_client(name: str) -> bool:
    client = db.session.scalar(sa.select(IntakeClient).where(
        IntakeClient.name == name, IntakeClient.revoked_at.is_(None)))
    if client is None:
        return False
    client.revoked_at = utcnow()
    audit.record(None, "intake_client.revoked", "intake_client", client.id,
                 after={"name": name})
    db.session.commit()
    return True


def client_for_token(raw: str) -> IntakeClient | None:
    if not raw:
        return None
    return db.session.scalar(sa.select(IntakeClient).where(
        IntakeClient.token_hash == hash_token(raw), IntakeClient.revoked_at.is_(None)))
