"""Every string the code and templates mark for translation has a Swedish translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
METHOD_MAP = [
    ("app/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}


def _fresh_extraction() -> set[str]:
    messages = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS,
        options_map={"templates/**.html": {}, "templates/**.txt": {}},
    ):
        messages.add(message if isinstance(message, str) else message[0])
    return messages


def test_extraction_finds_the_strings_we_know_exist():
    extracted = _fresh_extraction()
    assert "Log in to Etablera" in extracted
    assert "Wrong e-mail or password." in extracted


def test_no_swedish_translation_is_missing():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="sv")
    missing = []
    for msgid in sorted(_fresh_extraction()):
        entry = catalogue.get(msgid) or next(
            (m for m in catalogue if isinstance(m.id, tuple) and m.id[0] == msgid), None
        )
        strings = () if entry is None else (
            entry.string if isinstance(entry.string, tuple) else (entry.string,)
        )
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(msgid)
    assert missing == [], f"add Swedish translations (make extract-messages) for: {missing}"


def test_templates_translate_in_the_locale_of_each_render(app):
    """The locale of the render (the visitor's, or the one a mail forces) decides, never an
    earlier render's."""
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ _('Log out') }}|{{ _('received %(date)s', date='<b>') }}"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(template) == "Log out|received &lt;b&gt;"
        with force_locale("sv"):
            assert render_template_string(template) == "Logga ut|inkommen &lt;b&gt;"
        assert render_template_string(template) == "Log out|received &lt;b&gt;"
    with app.app_context(), app.test_request_context():  # a new request: its own locale
        assert render_template_string(template).startswith("Logga ut|")
