"""WTForms' own messages, worded by our catalogue (app/translations) like every other
text, instead of WTForms' Swedish catalogue ("Inte ett giltigt flyttal", "Felaktigt val;
kunde inte ceorce:a"). The forms' Meta hands WTForms `TRANSLATIONS`; the messages are
listed here so that `make extract-messages` keeps them in the catalogue."""

from __future__ import annotations

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln


class _Translations:
    """WTForms' gettext/ngettext over our catalogue: no formatting here, WTForms fills in
    %(min)d, %(max)d… itself."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = _Translations()

WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("Invalid URL."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("CSRF token missing."),
    _l("CSRF token expired."),
    _l("CSRF failed."),
    _l("Invalid CSRF Token."),
    _ln("Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.", 1),
    _ln("Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.", 1),
    _ln("Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.", 1),
    _ln("'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.", 1),
)
