"""The receipt of a web or API inquiry: fixed text in the submitter's language and the
reference, nothing of what they wrote.

Queued with the inquiry (`queue`, an InquiryReceipt committed with the lead), sent right
after that commit (`send`) through a delivery claim (app/deliveries.py): never twice,
and a failure is retried by the reminder sender "inquiry_receipts", which the scheduler
runs every minute (as does `flask reminders send-due`), with the deliveries' back-off,
for CATCH_UP. The address is read from the inquiry's contact when sending: one erased
meanwhile (app/privacy) gets nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.clock import utcnow
from app.deliveries import Claim, Outcome, claimable, run_delivery
from app.extensions import db
from app.intake.models import InquiryReceipt, InquiryReceiptDelivery
from app.leads.models import Contact, Lead
from app.mail.service import compose, deliver, render_mail

CATCH_UP = timedelta(days=2)  # a receipt later than this would confuse more than help
BATCH = 200


def queue(lead: Lead, contact: Contact, locale: str) -> None:
    """Owe the submitter a receipt; part of the caller's change (not committed)."""
    db.session.add(InquiryReceipt(lead_id=lead.id, contact_id=contact.id, locale=locale))


def send(lead_id: int, now: datetime | None = None) -> Outcome:
    """Send the receipt of the lead's inquiry, unless it was sent or is being sent."""
    receipt_id = db.session.scalar(
        sa.select(InquiryReceipt.id).where(InquiryReceipt.lead_id == lead_id))
    if receipt_id is None:
        return Outcome.NOT_CLAIMED
    return _send(receipt_id, now or utcnow())


def _send(receipt_id: int, now: datetime) -> Outcome:
    def send_it(held: Claim):
        receipt = db.session.get(InquiryReceipt, receipt_id)
        if receipt is None or receipt.contact_id is None:
            return None
        lead = db.session.get(Lead, receipt.lead_id)
        contact = db.session.get(Contact, receipt.contact_id)
        if lead is None or contact is None or not contact.email or contact.erased_at:
            return None  # erased meanwhile: nobody to write to
        with force_locale(receipt.locale):
            subject = _("We have received your inquiry (%(reference)s)",
                        reference=lead.inquiry_reference)
        subject, text, html = render_mail("inquiry_receipt", receipt.locale, subject,
                                          reference=lead.inquiry_reference)
        return deliver(compose(contact.email, subject, text, html), kind="inquiry_receipt",
                       locale=receipt.locale, leads=[lead], delivery=held)

    return run_delivery(InquiryReceiptDelivery, {"receipt_id": receipt_id}, send_it, now)


def due(now: datetime, limit: int = BATCH) -> list[int]:
    """Receipts of the last CATCH_UP not sent yet: never tried (the process stopped after
    the commit) or due for a retry."""
    return list(db.session.scalars(
        sa.select(InquiryReceipt.id)
        .outerjoin(InquiryReceiptDelivery,
                   InquiryReceiptDelivery.receipt_id == InquiryReceipt.id)
        .where(InquiryReceipt.created_at > now - CATCH_UP, InquiryReceipt.created_at <= now,
               sa.or_(InquiryReceiptDelivery.id.is_(None),
                      claimable(InquiryReceiptDelivery, now)))
        .order_by(InquiryReceipt.created_at, InquiryReceipt.id).limit(limit)))


def send_due(now: datetime) -> int:
    """The registered reminder sender: how many receipts this run sent."""
    return sum(_send(receipt_id, now) == Outcome.SENT for receipt_id in due(now))


def register() -> None:
    from app.reminders.service import register_reminder_sender

    register_reminder_sender("inquiry_receipts", send_due)
