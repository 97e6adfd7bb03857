"""What admins are warned about on the start page."""

from __future__ import annotations

from flask_babel import gettext as _

from app.digest.service import overdue_digest_count


def overdue_warnings() -> list[str]:
    count = overdue_digest_count()
    if not count:
        return []
    return [_("This week's digest e-mail is overdue for %(count)d users. Is the scheduler running "
              "(flask scheduler run) and can it reach the mail server? See the e-mail log.",
              count=count)]
