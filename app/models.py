"""Imports every model so that Alembic and the app see the whole schema.

Each feature adds its own models module here.
"""

from app.auth.models import ApiToken, Role, User
from app.core.models import AuditEvent, Municipality

__all__ = ["ApiToken", "AuditEvent", "Municipality", "Role", "User"]

from app.digest.models import DigestDelivery  # noqa: E402
from app.mail.models import MailMessage, MailStatus  # noqa: E402
from app.scheduler.models import SchedulerHeartbeat  # noqa: E402

__all__ += ["DigestDelivery", "MailMessage", "MailStatus", "SchedulerHeartbeat"]
