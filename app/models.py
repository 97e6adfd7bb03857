"""Imports every model so that Alembic and the app see the whole schema.

Each feature adds its own models module here.
"""

from app.auth.models import ApiToken, Role, User
from app.core.models import AuditEvent, Municipality

__all__ = ["ApiToken", "AuditEvent", "Municipality", "Role", "User"]

from app.sites.models import GeocodeResult, GeocoderThrottle, LogisticsNode, Site  # noqa: E402

__all__ += ["GeocodeResult", "GeocoderThrottle", "LogisticsNode", "Site"]
