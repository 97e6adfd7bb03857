"""Secrecy decisions on a lead (OSL 31:16, 12:2): the confidential marking with its legal
basis, who marked it and when, and the recorded basis for passing a confidential matter on
to a partner municipality in full (the company's consent or a secrecy review)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from app import audit
from app.clock import local_today, utcnow
from app.leads.models import DEFAULT_SECRECY_BASIS, Lead, LeadShare, ShareBasis, ShareLevel
from app.viewer import Viewer

BASIS_FIELDS = ("basis", "basis_by", "basis_on", "basis_reason")


def checked_basis(basis: dict[str, Any] | None, errors: dict[str, list[str]]) -> dict[str, Any]:
    """The basis for passing a confidential matter on in full, checked: the company's consent
    (OSL 12:2: who consented, when) or a secrecy review (who decided, when, why). Errors go
    into `errors` under the field names of BASIS_FIELDS."""
    basis = basis or {}
    kind = basis.get("basis")
    by = (basis.get("basis_by") or "").strip()
    on = basis.get("basis_on")
    reason = (basis.get("basis_reason") or "").strip()
    required = str(_l("Required to share a confidential lead in full."))
    if kind not in ShareBasis._value2member_map_:
        errors["basis"] = [str(_l("A confidential lead is shared in full only with the "
                                  "company's consent or after a secrecy review: say which."))]
    if not by:
        errors["basis_by"] = [required]
    if not isinstance(on, date):
        errors["basis_on"] = [required]
    elif on > local_today():
        errors["basis_on"] = [str(_l("The date must not be in the future."))]
    if kind == ShareBasis.SECRECY_REVIEW and not reason:
        errors["basis_reason"] = [str(_l("A secrecy review records why the matter may be "
                                         "passed on."))]
    return {"basis": kind, "basis_by": by, "basis_on": on, "basis_reason": reason or None}



def marking(user: Viewer, was_confidential: bool, confidential: bool, basis: str | None,
            current_basis: str | None = None) -> dict[str, Any]:
    """The columns of the secrecy marking after an edit: marking a lead records its legal
    basis (default OSL 31:16), who marked it and when; while it stays marked only the basis
    may change; lifting the marking clears them (the audit trail keeps the history)."""
    if not confidential:
        return {"confidential_basis": None, "confidential_marked_by_id": None,
                "confidential_marked_at": None}
    columns: dict[str, Any] = {"confidential_basis": (basis or "").strip() or current_basis
               or DEFAULT_SECRECY_BASIS}
    if not was_confidential:
        columns |= {"confidential_marked_by_id": user.id, "confidential_marked_at": utcnow()}
    return columns


def lower_unfounded_full_shares(user: Viewer, lead: Lead) -> list[LeadShare]:
    """A lead just marked confidential keeps no full share without a recorded basis: such
    shares are lowered to anonymised (audited). The caller commits."""
    lowered = [share for share in lead.shares
               if share.level == ShareLevel.FULL and share.basis is None]
    for share in lowered:
        share.level = ShareLevel.ANONYMISED
        share.updated_at = utcnow()
        audit.record(user, "lead.share_lowered", "lead", lead.id, before={"level": "full"},
                     after={"municipality": share.municipality.slug, "level": "anonymised",
                            "why": "marked confidential without a recorded basis"},
                     municipality_id=lead.municipality_id)
    return lowered
