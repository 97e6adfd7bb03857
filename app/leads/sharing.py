"""Sharing a lead with partner municipalities, and the partners' responses."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.auth.models import User
from app.clock import utcnow
from app.core.models import Municipality
from app.extensions import db
from app.input_rules import FieldErrors, InputRejected, clean_text
from app.leads.access import can_edit, can_respond
from app.leads.errors import PermissionDenied
from app.leads.models import Activity, ActivityKind, Lead, LeadShare, ShareLevel, ShareResponse
from app.leads.secrecy import checked_basis
from app.notifications import service as notifications
from app.viewer import Viewer


def share_lead(user: Viewer, lead: Lead, municipality_slugs: list[str], level: str,
               basis: dict[str, Any] | None = None) -> list[LeadShare]:
    """Share with (or change the level for) each municipality; the partners' users are
    notified (and e-mailed, as each chose). Only the owning municipality's advisors share.
    A confidential lead is shared in full only with a recorded basis (`checked_basis`),
    stored with each share."""
    if not can_edit(user, lead):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    if level not in ShareLevel._value2member_map_:
        errors["level"] = [str(_l("Not a valid choice."))]
    recorded = None
    if lead.confidential and level == ShareLevel.FULL:
        recorded = checked_basis(basis, errors)
    municipalities = []
    known = {m.slug: m for m in db.session.scalars(sa.select(Municipality))}
    for slug in dict.fromkeys(municipality_slugs):  # a slug given twice is one share
        municipality = known.get(slug)
        if municipality is None:
            errors["municipalities"] = [str(_l("Unknown municipality."))]
        elif municipality.id == lead.municipality_id:
            errors["municipalities"] = [str(_l("The lead already belongs to this municipality."))]
        else:
            municipalities.append(municipality)
    if not municipality_slugs:
        errors["municipalities"] = [str(_l("Choose at least one municipality."))]
    if errors:
        raise FieldErrors(errors)
    existing = {share.municipality_id: share for share in lead.shares}
    changed, new_partners = [], []
    for municipality in municipalities:
        share = existing.get(municipality.id)
        if share is None:
            share = LeadShare(lead=lead, municipality=municipality, level=ShareLevel(level),
                              shared_by_id=user.id)
            db.session.add(share)
            new_partners.append(municipality)
            record_share_change(user, lead, municipality, "shared", level)
            before = None
        elif share.level != ShareLevel(level):
            before = {"level": share.level}
            share.level = ShareLevel(level)
            share.updated_at = utcnow()
            _notify_share(user, lead, municipality, "lead_shared", level)
            record_share_change(user, lead, municipality, "level", level)
        else:
            continue
        after = {"municipality": municipality.slug, "level": level}
        if recorded is not None:
            for name, value in recorded.items():
                setattr(share, name, value)
            share.basis_recorded_by_id = user.id
            after |= {"basis": recorded["basis"], "basis_by": recorded["basis_by"],
                      "basis_on": recorded["basis_on"].isoformat(),
                      "basis_reason": recorded["basis_reason"]}
        db.session.flush()
        audit.record(user, "lead.shared", "lead", lead.id, before=before, after=after,
                     municipality_id=lead.municipality_id)
        changed.append(share)
    db.session.commit()
    for municipality in new_partners:
        notify_partner(lead, municipality, ShareLevel(level))
    return changed


def add_anonymised_share(user: Viewer | None, lead: Lead, municipality: Municipality,
                         because: str) -> LeadShare:
    """Share the lead with a municipality it is not shared with yet, at the anonymised
    level, as part of another change (`because` goes into the audit trail, e.g.
    "candidate"; no `user`: the system did it, e.g. for an inquiry's other preferred
    municipalities). Not committed: the caller commits its change with it, then calls
    notify_partner."""
    share = LeadShare(lead=lead, municipality=municipality, level=ShareLevel.ANONYMISED,
                      shared_by_id=getattr(user, "id", None))
    db.session.add(share)
    record_share_change(user, lead, municipality, "shared", ShareLevel.ANONYMISED.value)
    db.session.flush()
    audit.record(user, "lead.shared", "lead", lead.id, after={
        "municipality": municipality.slug, "level": ShareLevel.ANONYMISED.value,
        "because": because}, municipality_id=lead.municipality_id)
    return share


def _notify_share(actor: Viewer | None, lead: Lead, municipality: Municipality, kind: str,
                  level: str | None) -> None:
    """The partner municipality's users learn of the share, in the product and by e-mail
    as each chose (the codename, the owner, the level: what an anonymised share shows
    too). Not committed."""
    notifications.notify(
        notifications.municipality_readers(municipality.id), kind,
        {"codename": lead.codename, "owner": lead.municipality.name, "level": level},
        f"/leads/{lead.id}" if kind == "lead_shared" else None, actor=actor, lead_id=lead.id)


def record_share_change(user: Viewer | None, lead: Lead, municipality: Municipality,
                        change: str, level: str | None) -> None:
    """The lead's timeline shows the share change to the owner's users and the partner
    concerned (`change`: shared, level or revoked). Not committed."""
    db.session.add(Activity(
        lead_id=lead.id, kind=ActivityKind.SHARE_CHANGE, internal=True,
        author_id=getattr(user, "id", None), municipality_id=municipality.id,
        params={"change": change, "municipality": municipality.name, "level": level}))


def notify_partner(lead: Lead, municipality: Municipality, level: ShareLevel) -> None:
    """Tell the partner of a new share (its users: in the product, and by e-mail as each
    chose)."""
    _notify_share(None, lead, municipality, "lead_shared", level.value)
    db.session.commit()


def revoke_share(user: Viewer, lead: Lead, municipality_slug: str) -> None:
    if not can_edit(user, lead):
        raise PermissionDenied()
    share = next((s for s in lead.shares if s.municipality.slug == municipality_slug), None)
    if share is None:
        raise FieldErrors({"municipalities": [str(_l("The lead is not shared with it."))]})
    audit.record(user, "lead.share_revoked", "lead", lead.id,
                 before={"municipality": municipality_slug, "level": share.level},
                 municipality_id=lead.municipality_id)
    _notify_share(user, lead, share.municipality, "share_revoked", None)
    record_share_change(user, lead, share.municipality, "revoked", None)
    lead.shares.remove(share)
    db.session.commit()


def set_partner_registration_number(user: Viewer, lead: Lead, number: str | None) -> LeadShare:
    """The partner municipality records its own diarienummer for the shared matter (each
    municipality registers a matter under its own number); audited, shown to that
    municipality only. Its advisors set it."""
    if not can_respond(user, lead):
        raise PermissionDenied()
    try:
        cleaned = clean_text(number, max_length=40)
    except InputRejected as rejected:
        raise FieldErrors({"registration_number": [str(rejected)]}) from None
    share = next(s for s in lead.shares if s.municipality_id == user.municipality_id)
    before = {"registration_number": share.registration_number}
    share.registration_number = cleaned
    # on the share, not the lead: the owner's history of the lead must not show it
    audit.record(user, "share.registration_number", "lead_share", share.id, before=before,
                 after={"lead": lead.id, "registration_number": cleaned},
                 municipality_id=user.municipality_id)
    db.session.commit()
    return share


def respond(user: User, lead: Lead, response: str, comment: str | None) -> LeadShare:
    """A partner municipality answers: interested, or no suitable site."""
    if not can_respond(user, lead):
        raise PermissionDenied()
    if response not in ShareResponse._value2member_map_:
        raise FieldErrors({"response": [str(_l("Not a valid choice."))]})
    share = next(s for s in lead.shares if s.municipality_id == user.municipality_id)
    before = {"response": share.response, "comment": share.response_comment}
    share.response = ShareResponse(response)
    share.response_comment = (comment or "").strip() or None
    share.responded_at = utcnow()
    share.responded_by_id = user.id
    audit.record(user, "lead.share_response", "lead", lead.id, before=before,
                 after={"municipality": user.municipality.slug, "response": response,
                        "comment": share.response_comment},
                 municipality_id=lead.municipality_id)
    notifications.notify(notifications.municipality_readers(lead.municipality_id),
                         "partner_answered", {"codename": lead.codename,
                                              "partner": user.municipality.name,
                                              "response": response},
                         f"/leads/{lead.id}#timeline", actor=user, lead_id=lead.id)
    # the owner's users and the answering partner see it in the timeline (the comment as
    # its text); other partners do not
    db.session.add(Activity(
        lead_id=lead.id, kind=ActivityKind.PARTNER_ANSWER, internal=True,
        body=share.response_comment or "", author_id=user.id,
        municipality_id=user.municipality_id,
        params={"municipality": user.municipality.name, "response": response}))
    db.session.commit()
    return share
