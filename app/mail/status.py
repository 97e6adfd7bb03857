"""Warnings about e-mail for the admin start page."""

from __future__ import annotations

from flask_babel import gettext as _

from app.deliveries import all_given_up


def given_up_warnings() -> list[str]:
    count = len(all_given_up())
    if not count:
        return []
    return [_("%(count)d e-mail deliveries failed repeatedly and are no longer retried. "
              "See the e-mail log.", count=count)]
