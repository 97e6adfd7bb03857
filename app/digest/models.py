"""One weekly digest per user and ISO week, claimed before it is sent."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.deliveries import DeliveryMixin, register_delivery_model
from app.extensions import Model


@register_delivery_model
class DigestDelivery(DeliveryMixin, Model):
    """The digest of `user` for `iso_week` (e.g. "2026-W48"); unique per pair."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (sa.UniqueConstraint("user_id", "iso_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed by the unique constraint, whose first column it is
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    iso_week: Mapped[str] = mapped_column(sa.String(8), index=True)

    user: Mapped[User] = relationship(lazy="joined")

    def describe(self) -> str:
        return f"{self.user.email} · {self.iso_week}"
