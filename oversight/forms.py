"""Forms for management oversight: parsing and field checks only; the services hold the rules."""

from django import forms
from django.core.exceptions import ValidationError

from cases.validators import validate_prison_number
from oversight.models import MAXIMUM_SAMPLE_SIZE, SHORT_LABELS, OversightAudit

NOTES_MAX = 4000


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, against the field it names where the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class AuditForm(forms.Form):
    """The inspection's quality questions, each answered yes, partly or no with notes, then the overall judgement."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (*OversightAudit.QUESTIONS, OversightAudit.OVERALL):
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=OversightAudit.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer “{label}”"},
            )
            overall = name == OversightAudit.OVERALL[0]
            self.fields[f"{name}_notes"] = forms.CharField(
                label="Summary for the POM" if overall else f"Notes on {SHORT_LABELS[name].lower()}",
                required=False,
                max_length=NOTES_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="The POM sees this." if overall else "What you found. The POM sees these notes.",
                error_messages={"max_length": f"Notes must be {NOTES_MAX} characters or fewer"},
            )

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.fields if not name.endswith("_notes")}

    def notes(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.fields if name.endswith("_notes")}


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action for the POM",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action for the POM", "max_length": "Keep the action to 1000 characters"},
    )
    due_date = forms.DateField(
        label="Due date",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the due date", "invalid": "Enter a real due date"},
    )


class AddCaseForm(forms.Form):
    prison_number = forms.CharField(
        label="Prison number",
        max_length=7,
        help_text="For example, A1234BC. The case is audited this month with its POM now.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter a prison number", "max_length": "Enter a prison number like A1234BC"},
    )

    def clean_prison_number(self) -> str:
        value = self.cleaned_data["prison_number"].strip().upper()
        validate_prison_number(value)
        return value


class SettingsForm(forms.Form):
    sample_size = forms.IntegerField(
        label="Cases to audit for each POM each month",
        min_value=1,
        max_value=MAXIMUM_SAMPLE_SIZE,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many cases to audit",
            "min_value": "Audit at least 1 case",
            "max_value": f"Audit at most {MAXIMUM_SAMPLE_SIZE} cases",
            "invalid": "Enter a whole number",
        },
    )
