"""One-time submission tokens of the create forms (app.submissions)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import Model


class FormSubmission(Model):
    """A create form's token, stored in the transaction that created `object_type`
    `object_id`: the same token again (a double click, a resubmit) finds the object
    instead of creating a second. Bound to its user; pruned after PRUNE_AFTER."""

    __tablename__ = "form_submissions"
    __table_args__ = (sa.UniqueConstraint("user_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(sa.String(64))
    endpoint: Mapped[str] = mapped_column(sa.String(80))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
