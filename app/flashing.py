"""Field errors shown as messages on the page a form's user returns to (for forms that
post and redirect, such as the panels of the lead page)."""

from __future__ import annotations

from typing import Any

from flask import flash

from app.input_rules import FieldErrors


def flash_field_errors(error: FieldErrors) -> None:
    """A service's field errors."""
    for messages in error.fields.values():
        for message in messages:
            flash(message, "danger")


def flash_form_errors(form: Any) -> None:
    """A form's own errors, each with its field's label."""
    for name, messages in form.errors.items():
        label = getattr(form, name).label.text if hasattr(form, name) else name
        for message in messages:
            flash(f"{label}: {message}", "danger")
