"""Every message a form gives comes from our Swedish catalogue (issue 18): none of
WTForms' own ("Inte ett giltigt flyttal", "Felaktig epost-adress") and no English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from werkzeug.datastructures import MultiDict

from tests.test_forms import _every_form_class

CATALOGUE = Path(__file__).resolve().parent.parent / "app/translations/sv/LC_MESSAGES/messages.po"
GARBAGE = ("femtio tusen", "12.000", "x" * 6000, "2026-13-45", "9999-01-01T25:61", "@@",
           "\x01kontroll", "-5")


def _our_messages() -> list[re.Pattern]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    patterns = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text:
                pattern = re.escape(text)
                pattern = re.sub(r"%\\\(\w+\\\)[-#0 +]*\d*(?:\\\.\d+)?[a-zA-Z]", ".+", pattern)
                patterns.append(re.compile(f"^{pattern}$", re.S))
    return patterns


@pytest.mark.parametrize("garbage", GARBAGE)
def test_every_form_error_is_worded_by_our_catalogue(app, garbage):
    ours = _our_messages()
    seen: dict[str, str] = {}
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        for form_class in _every_form_class():
            names = [field.name for field in form_class(formdata=None)]
            form = form_class(formdata=MultiDict({name: garbage for name in names}))
            for field in form:
                if field.type in ("SelectField", "SelectMultipleField", "CheckboxesField") \
                        and field.choices is None:
                    field.choices = [("1", "Ett")]
            form.validate()
            for name, errors in form.errors.items():
                for error in errors if isinstance(errors, list) else [errors]:
                    seen[f"{form_class.__name__}.{name}: {error}"] = str(error)
    foreign = [where for where, text in seen.items() if not any(p.match(text) for p in ours)]
    assert seen, "the garbage produced no errors at all"
    assert not foreign, sorted({seen[where] for where in foreign})
