"""The receipt and the advisors' notification of a web inquiry arrive on a real SMTP
server (aiosmtpd on loopback)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.clock import utcnow
from app.deliveries import DeliveryStatus
from app.extensions import db
from app.intake import receipts
from app.intake.models import InquiryReceiptDelivery
from app.leads.models import Contact
from app.reminders.service import send_due_reminders
from tests.factories import municipality
from tests.intake_helpers import leads, submit


@pytest.fixture
def app_overrides() -> dict:
    return {"INTAKE_MIN_FILL_SECONDS": 0, "INTAKE_RATE_LIMIT": "100 per minute"}


def test_the_receipt_and_the_notification_arrive(app, client, users, smtp_server):
    app.config.update(smtp_server.settings())
    municipality("kumla").intake_user_id = users["kumla"].id
    db.session.commit()
    submit(client, municipalities=["kumla"], query="?lang=en")
    [lead] = leads()
    counts = smtp_server.recipient_counts()
    assert counts["stina@nordlager.example"] == 1 and counts["kumla@test.example"] == 1
    assert counts["viewer@test.example"] == 0  # the advisors are told, not the viewer
    by_recipient = {message["To"]: message for message in smtp_server.messages()}
    receipt = by_recipient["stina@nordlager.example"]
    assert lead.inquiry_reference in receipt["Subject"] and "received" in receipt["Subject"]
    notification = next(message for to, message in by_recipient.items()
                        if "kumla@test.example" in to)
    body = notification.get_body(preferencelist=("plain",)).get_content()
    assert lead.codename in body and "Nordlager" not in body


def test_a_receipt_the_mail_server_refused_is_retried_and_sent_once(app, client, users,
                                                                    smtp_server):
    app.config.update(smtp_server.settings())
    smtp_server.stop()
    submitted = utcnow()
    submit(client, municipalities=["kumla"])
    [lead] = leads()
    delivery = db.session.scalar(sa.select(InquiryReceiptDelivery))
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error
    smtp_server.start()
    assert _receipts_sent(submitted + timedelta(minutes=1)) == 0  # back-off: 5 minutes
    assert _receipts_sent(submitted + timedelta(minutes=7)) == 1
    assert _receipts_sent(submitted + timedelta(minutes=30)) == 0
    assert smtp_server.recipient_counts()["stina@nordlager.example"] == 1
    [receipt] = [m for m in smtp_server.messages() if m["To"] == "stina@nordlager.example"]
    assert lead.inquiry_reference in receipt["Subject"]


def test_a_receipt_never_tried_goes_out_with_the_next_run(app, client, users, smtp_server,
                                                         monkeypatch):
    """The process stopped between the commit and the sending: the queue remembers."""
    app.config.update(smtp_server.settings())
    monkeypatch.setattr(receipts, "send", lambda _lead_id, now=None: None)
    submitted = utcnow()
    submit(client, municipalities=["kumla"])
    assert smtp_server.recipient_counts()["stina@nordlager.example"] == 0
    assert _receipts_sent(submitted + timedelta(minutes=1)) == 1
    assert smtp_server.recipient_counts()["stina@nordlager.example"] == 1


def test_an_erased_contact_gets_no_receipt(app, client, users, smtp_server):
    app.config.update(smtp_server.settings())
    smtp_server.stop()
    submitted = utcnow()
    submit(client, municipalities=["kumla"])
    smtp_server.start()
    contact = db.session.scalar(sa.select(Contact))
    contact.email, contact.erased_at = None, utcnow()
    db.session.commit()
    assert _receipts_sent(submitted + timedelta(minutes=7)) == 0
    assert smtp_server.recipient_counts()["stina@nordlager.example"] == 0
    assert db.session.scalar(sa.select(InquiryReceiptDelivery.status)) == DeliveryStatus.SKIPPED


def _receipts_sent(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return send_due_reminders()["inquiry_receipts"]
