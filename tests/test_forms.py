"""The shared select rendering (app/forms.py): escaped, selected, the same as WTForms'."""

from __future__ import annotations

from wtforms import Form
from wtforms import SelectField as WTFormsSelectField
from wtforms import SelectMultipleField as WTFormsSelectMultipleField
from wtforms.validators import DataRequired

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
    """Tuple choices have their options rendered once per data: each rendering is still
    WTForms' HTML for that data, whatever was rendered before."""
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
