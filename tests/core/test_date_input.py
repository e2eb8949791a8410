"""The GOV.UK date input: three boxes, clear errors, and what was typed shown back."""

from __future__ import annotations

from datetime import date

from django import forms

from cairn.core.forms import GovukDateInput, GovukErrorsMixin
from cairn.core.templatetags.cairn_forms import govuk_field


class BirthForm(GovukErrorsMixin, forms.Form):
    date_of_birth = forms.DateField(label="Date of birth", widget=GovukDateInput())


def test_three_boxes_make_a_date():
    form = BirthForm(
        {"date_of_birth_day": "7", "date_of_birth_month": "3", "date_of_birth_year": "2012"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2012, 3, 7)


def test_an_iso_value_is_accepted_too():
    form = BirthForm({"date_of_birth": "2012-03-07"})
    assert form.is_valid()


def test_an_impossible_date_names_the_field():
    form = BirthForm(
        {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2012"}
    )
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Date of birth must be a real date"]


def test_a_partial_date_is_not_a_real_date():
    form = BirthForm({"date_of_birth_day": "7", "date_of_birth_year": "2012"})
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Date of birth must be a real date"]


def test_nothing_entered_asks_for_the_date():
    form = BirthForm({})
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Enter date of birth"]


def test_what_was_typed_is_shown_back_after_an_error():
    form = BirthForm(
        {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2012"}
    )
    form.is_valid()
    html = govuk_field(form["date_of_birth"])
    assert 'name="date_of_birth_day" type="text" inputmode="numeric" value="31"' in html
    assert 'value="2"' in html and 'value="2012"' in html
    assert "govuk-input--error" in html
    assert 'id="id_date_of_birth"' in html  # the error summary's link lands on the day box


def test_an_initial_date_fills_the_boxes():
    form = BirthForm(initial={"date_of_birth": date(2010, 12, 5)})
    html = govuk_field(form["date_of_birth"])
    assert 'value="5"' in html and 'value="12"' in html and 'value="2010"' in html
