"""Two scheduler processes (`flask reminders send-due`) at once against one database: each
notification chosen "at once" is e-mailed exactly once."""

import sqlalchemy as sa

from app.clock import utcnow
from app.deliveries import DeliveryStatus
from app.extensions import db
from app.notifications.models import Notification, NotificationDelivery
from app.notifications.topics import Channel
from tests.factories import make_user
from tests.smtp import SmtpServer
from tests.test_digest_processes import _flask


def test_two_processes_e_mail_each_notification_once(app, database_url):
    users = [make_user(f"n{n:02d}@test.example", "hallsberg") for n in range(30)]
    made = utcnow()
    db.session.add_all([Notification(user_id=user.id, kind="lead_shared", url=None,
                                     params={"codename": "Projekt två", "owner": "Kumla",
                                             "level": "anonymised"},
                                     email=Channel.NOW, created_at=made) for user in users])
    db.session.add(Notification(user_id=users[0].id, kind="pack_opened", url=None,
                                params={"codename": "Projekt två"}, email=Channel.DIGEST,
                                created_at=made))
    db.session.commit()
    addresses = {user.email for user in users}
    db.session.remove()
    server = SmtpServer(delay=0.01).start()
    try:
        processes = [_flask(database_url, server, "reminders", "send-due") for _ in range(2)]
        outputs = []
        for process in processes:
            output, _ = process.communicate(timeout=180)
            assert process.returncode == 0, output
            outputs.append(output)
        assert server.recipient_counts() == {address: 1 for address in addresses}, outputs
        statuses = db.session.scalars(sa.select(NotificationDelivery.status)).all()
        assert statuses == [DeliveryStatus.SENT] * len(addresses)  # the digest one: no mail
    finally:
        server.stop()
