"""The shared field rendering (app/forms.py): escaped, selected, the same as the Jinja
macro it replaced."""

from __future__ import annotations

from wtforms.widgets import Select

from app.forms import option_tags

HOSTILE = '<script>alert("x")</script>'


def test_option_tags_escape_values_and_labels():
    html = str(option_tags([('"><b>', HOSTILE), ("plain", "Hallsberg")], selected="plain"))
    assert "<b>" not in html and HOSTILE not in html
    assert 'value="&#34;&gt;&lt;b&gt;"' in html
    assert '<option selected value="plain">Hallsberg</option>' in html


# --- render_field: the `field` macro of templates/_forms.html ------------------------------

# The macro as it was written in Jinja before app.forms.render_field took its place, plus
# the empty first option of a required single select (issue 18: valid HTML), and
# checkboxes in a fieldset for a multiple choice (issue 18: no Ctrl-click list boxes).
JINJA_FIELD = """{% macro field(f, help=None) %}
{% if f.type == "CheckboxesField" %}
<fieldset class="mb-3" id="{{ f.id }}"{% if help %} aria-describedby="{{ f.id }}-help"{% endif %}>
  <legend class="form-label fs-6 mb-1">{{ f.label.text }}</legend>
  {% for option in f %}<div class="form-check form-check-inline">
  {{- option(class_="form-check-input" + (" is-invalid" if f.errors else ""), required=False) }}
  {{ option.label(class_="form-check-label") }}</div>{% endfor %}
  {% if help %}<div class="form-text" id="{{ f.id }}-help">{{ help }}</div>{% endif %}
  {% for error in f.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
</fieldset>
{% elif f.type == "BooleanField" %}
<div class="form-check mb-3">
  {{ f(class_="form-check-input" + (" is-invalid" if f.errors else "")) }}
  {{ f.label(class_="form-check-label") }}
  {% for error in f.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
</div>
{% else %}
<div class="mb-3">
  {{ f.label(class_="form-label") }}
  {% set css = "form-select" if f.type in ("SelectField", "SelectMultipleField") else "form-control" %}
  {% set control = f(class_=css + (" is-invalid" if f.errors else ""),
       **({"aria-describedby": f.id + "-help"} if help else {})) %}
  {% set choices = f.iter_choices()|list if f.type == "SelectField" else [] %}
  {% if f.flags.required and choices and choices[0][0] not in ("", none) %}
  {% if not choices|selectattr("2")|list %}
  {% set control = control|replace("<option "|safe, "<option selected "|safe, 1) %}{% endif %}
  {{ control|replace(">", ('><option value="">%s</option>'|safe) % _("Choose…"), 1) }}
  {% else %}{{ control }}{% endif %}
  {% if help %}<div class="form-text" id="{{ f.id }}-help">{{ help }}</div>{% endif %}
  {% for error in f.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
</div>
{% endif %}
{% endmacro %}"""


def _every_form_class():
    from flask_wtf import FlaskForm

    import app.admin.forms
    import app.auth.forms
    import app.leads.forms
    import app.sites.forms

    modules = (app.admin.forms, app.auth.forms, app.leads.forms, app.sites.forms)
    return [value for module in modules for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, FlaskForm)
            and value.__module__ == module.__name__]


def _shown_fields(form):
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField", "HiddenInput", "SubmitField"):
            continue
        if isinstance(field.widget, Select) and field.choices is None:
            field.choices = ((1, HOSTILE), (2, "Åsa & Co"))  # set by the views
        yield field


def _same(html) -> str:
    return " ".join(str(html).split())


def test_render_field_draws_what_the_jinja_macro_drew(app):
    """Every field of every form, pristine, filled in and in error, twice (the second time
    from the cache where it may be kept): the macro's HTML, whitespace aside."""
    from app.forms import render_field

    macro = app.jinja_env.from_string(JINJA_FIELD).module.field
    forms = _every_form_class()
    assert len(forms) >= 20
    with app.test_request_context():
        for form_class in forms:
            for state in ("pristine", "filled", "in error"):
                form = form_class()
                for field in _shown_fields(form):
                    if state == "filled" and not isinstance(field.widget, Select):
                        field.data = field.data or HOSTILE if field.type in (
                            "StringField", "TextAreaField") else field.data
                    if state == "in error":
                        field.errors = [HOSTILE]
                    help_text = field.description or None
                    expected = _same(macro(field, help_text))
                    assert _same(render_field(field, help_text)) == expected, field.name
                    assert _same(render_field(field, help_text)) == expected, field.name
                    assert HOSTILE not in expected


def test_render_field_keeps_nothing_typed_and_no_errors(app):
    from app.forms import _FIELDS, render_field
    from app.leads.forms import ContactForm

    with app.test_request_context():
        _FIELDS.clear()
        typed = ContactForm()
        typed.name.data = "Hemlig Person"
        assert 'value="Hemlig Person"' in render_field(typed.name)
        failed = ContactForm()
        failed.name.errors = ["Obligatoriskt."]
        assert "Obligatoriskt." in render_field(failed.name)
        assert len(_FIELDS._values) == 0
        pristine = ContactForm()
        html = render_field(pristine.name)
        assert "Hemlig Person" not in html and "Obligatoriskt." not in html
        assert 'value=""' in html and len(_FIELDS._values) == 1


def test_render_field_follows_the_locale_and_the_selection(app):
    from flask_babel import force_locale

    from app.forms import render_field
    from app.leads.forms import ActivityForm, FollowUpForm

    with app.test_request_context():
        with force_locale("sv"):
            swedish = render_field(ActivityForm().kind)
        with force_locale("en"):
            english = render_field(ActivityForm().kind)
        assert "Anteckning" in swedish and "Note" in english and "Anteckning" not in english
        for chosen in (1, 2, 1):
            form = FollowUpForm()
            form.assignee_id.choices = ((1, "Anna"), (2, "Bo"))
            form.assignee_id.data = chosen
            assert f'<option selected value="{chosen}">' in render_field(form.assignee_id)


def test_a_typed_label_help_value_and_error_come_out_escaped(app):
    """What a user typed (an advisor's name in a select, a value in a field) and what a
    form says about it never reaches the page as markup, kept or not."""
    from app.forms import render_field
    from app.leads.forms import ContactForm, FollowUpForm

    with app.test_request_context():
        form = ContactForm()
        form.name.label.text = HOSTILE
        form.name.data = '"><script>alert(1)</script>'
        form.name.errors = [HOSTILE]
        html = str(render_field(form.name, help=HOSTILE))
        assert "<script>" not in html
        assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
        assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 3
        for _ in range(2):  # rendered, then from the cache of pristine fields
            followup = FollowUpForm()
            followup.assignee_id.choices = ((1, HOSTILE), (2, 'Bo "Bosse" <b>'))
            followup.assignee_id.data = 2
            html = str(render_field(followup.assignee_id))
            assert "<script>" not in html and "<b>" not in html
            assert '<option selected value="2">Bo &#34;Bosse&#34; &lt;b&gt;</option>' in html
