"""Stage changes: what each stage requires, and moving a lead there (an activity and an
audit event with it).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app import audit
from app.clock import utcnow
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads.access import can_edit
from app.leads.errors import PermissionDenied
from app.leads.inquiries import record_first_answer
from app.leads.models import Activity, ActivityKind, Lead, LostReason, Stage
from app.locking import update_versioned
from app.viewer import Viewer


def stage_requirements(stage: Stage, data: dict[str, Any]) -> dict[str, list[str]]:
    """The field errors of a stage change lacking its data."""
    errors: dict[str, list[str]] = {}
    required = str(_l("Required for this stage."))
    if stage == Stage.LOST:
        if not data.get("lost_reason"):
            errors["lost_reason"] = [required]
        elif data["lost_reason"] not in LostReason._value2member_map_:
            errors["lost_reason"] = [str(_l("Not a valid choice."))]
        if not (data.get("lost_comment") or "").strip():
            errors["lost_comment"] = [required]
    if stage == Stage.WON:
        for name in ("decided_on", "expected_jobs", "investment_msek"):
            if data.get(name) is None or data.get(name) == "":
                errors[name] = [required]
            elif name != "decided_on" and data[name] < 0:
                errors[name] = [str(_l("Must not be negative."))]
    return errors


def change_stage(user: Viewer, lead: Lead, submitted_version: int | None, stage: str,
                 data: dict[str, Any] | None = None, commit: bool = True) -> Lead:
    """Move a lead to another stage: checks its data, writes an activity and an audit event
    (committed unless `commit=False`, as in update_lead)."""
    if not can_edit(user, lead):
        raise PermissionDenied()
    data = data or {}
    if stage not in Stage._value2member_map_:
        raise FieldErrors({"stage": [str(_l("Not a valid choice."))]})
    new_stage = Stage(stage)
    if new_stage == lead.stage:
        raise FieldErrors({"stage": [str(_l("The lead is already at this stage."))]})
    errors = stage_requirements(new_stage, data)
    if errors:
        raise FieldErrors(errors)
    values: dict[str, Any] = {"stage": new_stage, "stage_changed_at": utcnow(),
                              "updated_at": utcnow()}
    if new_stage == Stage.LOST:
        values |= {"lost_reason": LostReason(data["lost_reason"]),
                   "lost_comment": data["lost_comment"].strip()}
    if new_stage == Stage.WON:
        values |= {"decided_on": data["decided_on"], "expected_jobs": data["expected_jobs"],
                   "investment_msek": data["investment_msek"]}
    old_stage = lead.stage
    update_versioned(lead, submitted_version, values)
    db.session.add(Activity(lead_id=lead.id, kind=ActivityKind.STAGE_CHANGE, body="",
                            from_stage=old_stage, to_stage=new_stage, internal=False,
                            author_id=user.id, municipality_id=user.municipality_id))
    record_first_answer(user, lead)
    audit.record(user, "lead.stage_changed", "lead", lead.id,
                 before={"stage": old_stage},
                 after={key: value for key, value in values.items() if key != "updated_at"},
                 municipality_id=lead.municipality_id)
    if commit:
        db.session.commit()
    return lead
