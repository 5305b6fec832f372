"""Every Django form renders as GOV.UK form groups, with its errors wired to the fields for screen readers."""

from django import forms
from django.template.loader import render_to_string


class ExampleForm(forms.Form):
    crn = forms.CharField(label="CRN", help_text="For example, X123456")
    tier = forms.ChoiceField(choices=[("A", "A"), ("B", "B")])
    notes = forms.CharField(widget=forms.Textarea, required=False)
    care_experienced = forms.BooleanField(required=False)
    pom_type = forms.ChoiceField(
        choices=[("probation", "Probation POM"), ("prison", "Prison POM")], widget=forms.RadioSelect
    )


def test_a_valid_form_renders_govuk_classes_and_hints():
    html = str(ExampleForm())
    assert 'class="govuk-form-group"' in html
    assert 'class="govuk-input"' in html
    assert 'class="govuk-select"' in html
    assert 'class="govuk-textarea"' in html
    assert 'class="govuk-checkboxes__input"' in html
    assert 'class="govuk-radios__input"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Pom type</legend>' in html
    assert 'id="id_crn-hint"' in html
    assert 'aria-describedby="id_crn-hint"' in html
    assert "govuk-error-message" not in html


def test_errors_mark_the_group_and_field_and_are_announced():
    form = ExampleForm(data={"crn": "", "tier": "Z"})
    assert not form.is_valid()
    html = str(form)
    assert "govuk-form-group--error" in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_crn-hint id_crn-error"' in html
    assert '<p class="govuk-error-message" id="id_crn-error"><span class="govuk-visually-hidden">Error:</span>' in html
    assert 'class="govuk-select govuk-select--error"' in html


def test_the_error_summary_links_each_error_to_its_field():
    form = ExampleForm(data={"crn": "", "tier": "Z"})
    form.is_valid()
    html = render_to_string("forms/error_summary.html", {"form": form})
    assert "There is a problem" in html
    assert '<a href="#id_crn">This field is required.</a>' in html
    assert 'href="#id_tier"' in html
    assert 'href="#id_pom_type_0"' in html


def test_no_summary_without_errors():
    assert render_to_string("forms/error_summary.html", {"form": ExampleForm()}).strip() == ""
