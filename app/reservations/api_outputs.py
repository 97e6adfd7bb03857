"""What the reservations API answers (see app/api/outputs.py)."""

from __future__ import annotations

from datetime import date

from app.api.outputs import ApiOutput
from app.reservations.models import ReservationKind, ReservationStatus


class Reservation(ApiOutput):
    id: int
    site_id: int
    lead_id: int
    lead_codename: str
    kind: ReservationKind
    decided_on: date
    decided_by: str
    valid_from: date
    valid_until: date
    agreement_ref: str | None
    fee_sek: int | None
    status: ReservationStatus
    note: str | None
    version: int


OUTPUT_MODELS = (Reservation,)
