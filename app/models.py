"""Imports every model so that Alembic and the app see the whole schema, and every
feature's access module, which registers the scope rules of its models (app.scope).

Each feature adds its own models module here.
"""

from app.auth.models import ApiToken, LoginFailure, Role, User
from app.calendar_feed.models import CalendarFeed
from app.candidates import access as _candidates_access  # noqa: F401 - registers the rule
from app.candidates.models import CandidateSite
from app.core.models import AuditEvent, Municipality
from app.digest.models import DigestDelivery
from app.exports import access as _exports_access  # noqa: F401 - registers the export rule
from app.exports.models import Export
from app.intake.models import BotCount, IdempotencyKey, IntakeClient, UnansweredReminder
from app.leads import access as _leads_access  # noqa: F401 - registers the lead rules
from app.leads.models import (
    Activity,
    Company,
    Contact,
    FollowUp,
    Lead,
    LeadShare,
    ReminderDelivery,
)
from app.mail.models import MailMessage, MailMessageLead, MailStatus
from app.scheduler.models import SchedulerHeartbeat
from app.sites import access as _sites_access  # noqa: F401 - registers the site rules
from app.sites.models import GeocodeResult, GeocoderThrottle, LogisticsNode, Site
from app.submissions.models import FormSubmission

__all__ = [
    "Activity",
    "ApiToken",
    "AuditEvent",
    "BotCount",
    "CalendarFeed",
    "CandidateSite",
    "Company",
    "Contact",
    "DigestDelivery",
    "Export",
    "FollowUp",
    "FormSubmission",
    "GeocodeResult",
    "GeocoderThrottle",
    "IdempotencyKey",
    "IntakeClient",
    "Lead",
    "LeadShare",
    "LoginFailure",
    "LogisticsNode",
    "MailMessage",
    "MailMessageLead",
    "MailStatus",
    "Municipality",
    "ReminderDelivery",
    "Role",
    "SchedulerHeartbeat",
    "UnansweredReminder",
    "Site",
    "User",
]
