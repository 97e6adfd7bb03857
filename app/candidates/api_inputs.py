"""Request bodies of the candidates API (see app/api/inputs.py)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from app.api.inputs import ApiInput, text
from app.candidates.models import CandidateSite, CandidateStatus
from app.input_rules import MAX_ID

NOT_GIVEN: Any = None


class CandidateInput(ApiInput):
    """Propose a site as a candidate of the lead."""

    site_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    note: Annotated[str, *text(CandidateSite.note, multiline=True)] | None = NOT_GIVEN


class CandidatePatch(ApiInput):
    """Change a candidate; `version` is the one the change started from (409 when someone
    saved first). A rejection needs a reason. Fields not given keep their value."""

    version: int
    status: CandidateStatus = NOT_GIVEN
    reason: Annotated[str, *text(CandidateSite.reason)] | None = NOT_GIVEN
    note: Annotated[str, *text(CandidateSite.note, multiline=True)] | None = NOT_GIVEN


INPUT_MODELS = (CandidateInput, CandidatePatch)
