"""`POST /api/v1/inquiries`: a partner system (an intake client, app/intake/clients.py)
posts an inquiry with the public form's fields, validation and effects.

Idempotency: with an `Idempotency-Key` header the first request answers 201 and its key
is stored with the body's SHA-256 and the answer, in the transaction that stores the
lead; a repeat with the same key and body answers 200 with the same body and
`Idempotent-Replayed: true`; the same key with another body 422. The key row is written
first, so a concurrent request with the same key waits on its unique constraint and,
once the first commits, replays its answer (one lead). Keys are kept KEY_LIFETIME.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy.exc import IntegrityError

from app import input_rules
from app.api.common import ApiError, json_body, refuse_unknown_query_parameters, register_openapi
from app.api.inputs import (
    ApiInput,
    Slug,
    a_date,
    a_number,
    invalid,
    model_schemas,
    orgnr_text,
    parse_body,
    text,
)
from app.api.openapi import error_response
from app.clock import utcnow
from app.extensions import csrf, db
from app.forms import column_length
from app.input_rules import MAX_ID, FieldErrors, InputRejected
from app.intake import service
from app.intake.clients import client_for_token
from app.intake.models import IdempotencyKey, IntakeClient
from app.intake.service import PLANS_LENGTH, Inquiry
from app.leads.models import Company, Contact, Lead, Source

KEY_LIFETIME = timedelta(days=7)
KEY_LENGTH = 200

bp = Blueprint("intake_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _email(value: str) -> str:
    cleaned = input_rules.clean_email(value)
    if cleaned is None:
        raise InputRejected(_l("This field is required."))
    if len(cleaned) > column_length(Contact.email):
        raise InputRejected(_l("At most %(max)d characters.", max=column_length(Contact.email)))
    return cleaned


def _phone(value: str | None) -> str | None:
    cleaned = input_rules.clean_phone(value)
    if cleaned is not None and len(cleaned) > column_length(Contact.phone):
        raise InputRejected(_l("At most %(max)d characters.", max=column_length(Contact.phone)))
    return cleaned


class InquiryInput(ApiInput):
    """An inquiry, as the public form takes it."""

    company_name: Annotated[str, *text(Company.name, required=True)]
    orgnr: Annotated[str | None, *orgnr_text()] = None
    country: Annotated[str | None, *text(Company.country)] = None
    contact_name: Annotated[str, *text(Contact.name, required=True)]
    email: Annotated[str, AfterValidator(_email), Field(
        json_schema_extra={"maxLength": column_length(Contact.email), "minLength": 1})]
    phone: Annotated[str | None, AfterValidator(_phone), Field(
        json_schema_extra={"maxLength": column_length(Contact.phone)})] = None
    sector: Annotated[str | None, *text(Lead.sector)] = None
    plans: Annotated[str, *text(PLANS_LENGTH, multiline=True, required=True)] = Field(
        description="What the company plans (free text).")
    land_area_m2: Annotated[int, *a_number("area_m2")] | None = None
    building_area_m2: Annotated[int, *a_number("area_m2")] | None = None
    rail_siding: bool | None = Field(None, description="Whether a rail siding is needed.")
    power_mw: Annotated[float, *a_number("power_mw")] | None = None
    expected_jobs: Annotated[int, *a_number("jobs")] | None = None
    desired_start: Annotated[date, *a_date("desired_start")] | None = None
    municipalities: list[Slug] = Field(
        default_factory=list, max_length=10,
        description="Preferred municipalities; empty: no preference.")
    site_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(
        None, description="A site of the public catalogue the inquiry is about.")
    language: Literal["sv", "en"] = Field(
        "sv", description="The language of the receipt e-mailed to the contact.")


class InquiryCreated(BaseModel):
    id: int
    reference: str


def authenticate_client() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    client = client_for_token(raw.strip()) if scheme.lower() == "bearer" else None
    if client is None:
        raise ApiError(401, _("You need to log in."))
    g.intake_client = client


bp.before_request(authenticate_client)
bp.before_request(refuse_unknown_query_parameters)


def _body_hash() -> str:
    """The body's SHA-256, of its JSON in a canonical form (key order and spacing do not
    make another body)."""
    canonical = json.dumps(json_body(), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _parse_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key.strip() or len(key) > KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise invalid({"Idempotency-Key": [_(
            "At most %(max)d printable ASCII characters.", max=KEY_LENGTH)]})
    return key


def _stored(client: IntakeClient, key: str) -> IdempotencyKey | None:
    return db.session.scalar(sa.select(IdempotencyKey).where(
        IdempotencyKey.client_id == client.id, IdempotencyKey.key == key,
        IdempotencyKey.created_at > utcnow() - KEY_LIFETIME))


def _replay(stored: IdempotencyKey, body_hash: str):
    if stored.body_hash != body_hash or stored.response is None:
        raise invalid({"Idempotency-Key": [_(
            "This key was used with another request body.")]})
    response = jsonify(stored.response)
    response.headers["Idempotent-Replayed"] = "true"
    return response, 200


@bp.post("/inquiries")
def create_inquiry():
    client: IntakeClient = g.intake_client
    key = _parse_key()
    body_hash = _body_hash()
    if key is not None:
        stored = _stored(client, key)
        if stored is not None:
            return _replay(stored, body_hash)
    values = parse_body(InquiryInput)
    record = None
    if key is not None:
        db.session.execute(sa.delete(IdempotencyKey).where(  # expired: the key is free again
            IdempotencyKey.client_id == client.id, IdempotencyKey.key == key,
            IdempotencyKey.created_at <= utcnow() - KEY_LIFETIME))
        record = IdempotencyKey(client_id=client.id, key=key, body_hash=body_hash)
        db.session.add(record)
        try:
            db.session.flush()  # a concurrent twin waits here until this one commits
        except IntegrityError:
            db.session.rollback()
            stored = _stored(client, key)
            if stored is None:
                raise
            return _replay(stored, body_hash)
    try:
        fields = values.model_dump()
        language = fields.pop("language")
        received = service.receive_inquiry(Inquiry(**fields), Source(client.source), language,
                                           client=client.name)
    except FieldErrors as error:
        db.session.rollback()
        raise invalid(error.fields) from None
    answer = {"id": received.lead.id, "reference": received.lead.inquiry_reference}
    if record is not None:
        record.lead_id = received.lead.id
        record.response = answer
    db.session.commit()
    service.after_commit(received)
    return jsonify(answer), 201


def _created(description: str, replayed: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/InquiryCreated"}}}}
    if replayed:
        answer["headers"] = {"Idempotent-Replayed": {"schema": {"type": "string",
                                                                "enum": ["true"]}}}
    return answer


register_openapi(
    {"/inquiries": {"post": {
        "summary": "Post an inquiry (intake clients only: partner systems' tokens)",
        "description": "The public inquiry form's fields and rules. The inquiry becomes a "
                       "lead of its owning municipality (the single preferred one, else "
                       "the region's intake municipality). With an Idempotency-Key, a "
                       "repeat with the same body answers 200 with the first answer; the "
                       "same key with another body answers 422. Keys are kept 7 days.",
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "maxLength": KEY_LENGTH}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/InquiryInput"}}}},
        "responses": {
            "201": _created("The inquiry is stored"),
            "200": _created("A repeat of an earlier request with the same key and body",
                            replayed=True),
            "400": error_response("Malformed request"),
            "401": error_response("Missing, revoked or not an intake client's token"),
            "422": error_response("A field breaks a rule, or the key was used with another "
                                  "body"),
        },
    }}},
    model_schemas(InquiryInput) | model_schemas(InquiryCreated, mode="serialization"),
)
