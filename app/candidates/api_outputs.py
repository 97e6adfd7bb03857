"""What the candidates API answers (see app/api/outputs.py)."""

from __future__ import annotations

from typing import Literal

from app.api.outputs import ApiOutput, Instant
from app.candidates.models import CandidateStatus


class MatchCriterion(ApiOutput):
    key: str
    verdict: Literal["pass", "fail", "unknown"]
    must: bool
    explanation: str


class SiteMatch(ApiOutput):
    site_id: int
    site_name: str
    municipality: str
    score: int
    fits: bool
    unknown_musts: int
    criteria: list[MatchCriterion]


class MatchList(ApiOutput):
    """The fitting sites first (ranked), then those failing a must; `total` counts all."""

    items: list[SiteMatch]
    total: int


class Candidate(ApiOutput):
    id: int
    lead_id: int
    site_id: int
    site_name: str
    municipality: str
    status: CandidateStatus
    reason: str | None
    note: str | None
    proposed_by_id: int | None
    proposed_at: Instant
    version: int


class CandidateList(ApiOutput):
    items: list[Candidate]


OUTPUT_MODELS = (MatchList, Candidate, CandidateList)
