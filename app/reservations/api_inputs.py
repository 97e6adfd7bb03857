"""Request bodies of the reservations API (see app/api/inputs.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field

from app.api.inputs import ApiInput, a_date, a_number, text
from app.input_rules import MAX_ID
from app.reservations.models import Reservation, ReservationKind

NOT_GIVEN: Any = None


class ReservationInput(ApiInput):
    """Reserve the site for the lead of one of its `selected` candidates (advisors of the
    site's municipality). At most one reservation is in force per site."""

    candidate_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    kind: ReservationKind
    decided_on: Annotated[date, *a_date("decided_on")]
    decided_by: Annotated[str, *text(Reservation.decided_by, required=True)]
    valid_from: Annotated[date, *a_date("reservation")]
    valid_until: Annotated[date, *a_date("reservation")]
    agreement_ref: Annotated[str, *text(Reservation.agreement_ref)] | None = NOT_GIVEN
    fee_sek: Annotated[int, *a_number("fee_sek")] | None = NOT_GIVEN
    note: Annotated[str, *text(Reservation.note, multiline=True)] | None = NOT_GIVEN


class ReservationPatch(ApiInput):
    """Extend (with a later `valid_until`), cancel (the site is offered again) or convert
    to a land transfer (the site is sold) a reservation in force; `version` is the one the
    change started from (409 when someone saved first)."""

    version: int
    action: Literal["extend", "cancel", "convert"]
    valid_until: Annotated[date, *a_date("reservation")] | None = NOT_GIVEN


INPUT_MODELS = (ReservationInput, ReservationPatch)
