"""The shared select rendering (app/forms.py): escaped, selected, the same as WTForms'."""

from __future__ import annotations

from wtforms import Form
from wtforms import SelectField as WTFormsSelectField
from wtforms import SelectMultipleField as WTFormsSelectMultipleField
from wtforms.validators import DataRequired
from wtforms.widgets import Select

from app.forms import SelectField, SelectMultipleField, option_tags

HOSTILE = '<script>alert("x")</script>'


class QuickForm(Form):
    person = SelectField(choices=[(1, HOSTILE), (2, "Åsa & Co")], coerce=int)
    municipalities = SelectMultipleField(choices=[("kumla", "Kumla"), ("orebro", "Örebro")])


class PlainForm(Form):
    person = WTFormsSelectField(choices=[(1, HOSTILE), (2, "Åsa & Co")], coerce=int)
    municipalities = WTFormsSelectMultipleField(
        choices=[("kumla", "Kumla"), ("orebro", "Örebro")])


class RequiredQuickForm(Form):
    level = SelectField(choices=[("full", "Full"), ("anonymised", "Anonymised")],
                        validators=[DataRequired()])
    flag = SelectField(choices=[(True, "Yes"), (False, "No")], coerce=lambda v: v == "True")


class RequiredPlainForm(Form):
    level = WTFormsSelectField(choices=[("full", "Full"), ("anonymised", "Anonymised")],
                               validators=[DataRequired()])
    flag = WTFormsSelectField(choices=[(True, "Yes"), (False, "No")],
                              coerce=lambda v: v == "True")


def test_quick_select_renders_what_wtforms_renders():
    quick, plain = QuickForm(data={"person": 2}), PlainForm(data={"person": 2})
    assert str(quick.person(class_="form-select")) == str(plain.person(class_="form-select"))
    for data in ({"municipalities": ["orebro"]}, {"municipalities": None}, {}):
        assert (str(QuickForm(data=data).municipalities(class_="x"))
                == str(PlainForm(data=data).municipalities(class_="x")))
    for data in ({"level": "anonymised", "flag": True}, {"flag": False}, {}):
        quick, plain = RequiredQuickForm(data=data), RequiredPlainForm(data=data)
        assert 'required' in str(quick.level()) and str(quick.level()) == str(plain.level())
        assert str(quick.flag(id="f")) == str(plain.flag(id="f"))


def test_quick_select_escapes_labels_and_marks_the_selected_option():
    html = str(QuickForm(data={"person": 1}).person())
    assert HOSTILE not in html
    assert '<option selected value="1">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</option>' in html
    assert '<option value="2">Åsa &amp; Co</option>' in html


def test_quick_multiple_select_marks_every_chosen_option():
    html = str(QuickForm(data={"municipalities": ["kumla", "orebro"]}).municipalities())
    assert "multiple" in html and html.count("<option selected") == 2


def test_option_tags_escape_values_and_labels():
    html = str(option_tags([('"><b>', HOSTILE), ("plain", "Hallsberg")], selected="plain"))
    assert "<b>" not in html and HOSTILE not in html
    assert 'value="&#34;&gt;&lt;b&gt;"' in html
    assert '<option selected value="plain">Hallsberg</option>' in html


class TupleQuickForm(Form):
    person = SelectField(choices=((1, HOSTILE), (2, "Åsa & Co")), coerce=int)
    municipalities = SelectMultipleField(choices=(("kumla", "Kumla"), ("orebro", "Örebro")))


def test_options_of_tuple_choices_are_reused_but_follow_the_data():
    """Tuple choices (as a lead page's assignees come): each rendering is WTForms' HTML
    for that data, whatever was rendered before."""
    for data in ({"person": 2}, {"person": 1}, {"person": 2}, {}, {"person": 1}):
        assert str(TupleQuickForm(data=data).person()) == str(PlainForm(data=data).person())
    for chosen in (["orebro"], ["kumla", "orebro"], None, ["orebro"]):
        data = {"municipalities": chosen}
        assert (str(TupleQuickForm(data=data).municipalities())
                == str(PlainForm(data=data).municipalities()))


def test_options_of_tuple_choices_with_unhashable_data_are_rendered_each_time():
    form = TupleQuickForm()
    form.person.data = [2]  # not a value a select holds, but it must not break the cache
    assert "<option selected" not in str(form.person())


# --- render_field: the `field` macro of templates/_forms.html ------------------------------

# The macro as it was written in Jinja before app.forms.render_field took its place.
JINJA_FIELD = """{% macro field(f, help=None) %}
{% if f.type == "BooleanField" %}
<div class="form-check mb-3">
  {{ f(class_="form-check-input" + (" is-invalid" if f.errors else "")) }}
  {{ f.label(class_="form-check-label") }}
  {% for error in f.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
</div>
{% else %}
<div class="mb-3">
  {{ f.label(class_="form-label") }}
  {% set css = "form-select" if f.type in ("SelectField", "SelectMultipleField") else "form-control" %}
  {{ f(class_=css + (" is-invalid" if f.errors else ""),
       **({"aria-describedby": f.id + "-help"} if help else {})) }}
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
