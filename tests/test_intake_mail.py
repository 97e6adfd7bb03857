"""The receipt and the advisors' notification of a web inquiry arrive on a real SMTP
server (aiosmtpd on loopback)."""

from __future__ import annotations

import pytest

from app.extensions import db
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
