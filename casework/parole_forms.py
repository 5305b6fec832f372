"""Forms for the parole pages and the recall placement: parsing and field checks only; the services hold the rules."""

from django import forms
from django.core.exceptions import ValidationError

from casework.models import RecallPlacement

RELEASE, NO_RELEASE = "Release", "No release"
OUTCOME_CHOICES = [
    (RELEASE, "Release: the Parole Board directed release"),
    (NO_RELEASE, "No release: the Parole Board did not direct release"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"}, **kwargs)


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter a real {label.lower()}"},
        **kwargs,
    )


def _text_field(label: str, max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        error_messages={"max_length": f"The {label.lower()} must be {max_length} characters or fewer"},
        **kwargs,
    )


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, against the field it names where the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ParoleReviewForm(forms.Form):
    """Add a parole review by hand (the daily import and the API add the others)."""

    target_hearing_date = _date_field("Target hearing date", help_text="The THD the Parole Board has set.")
    custody_report_due = _date_field("Custody report due", required=False)
    review_type = _text_field("Review type", 80, help_text="For example, “Pre-tariff sift” or “Oral hearing”.")
    review_status = _text_field("Review status", 80, help_text="For example, “Active”.")


class ParoleOutcomeForm(forms.Form):
    """Record the hearing outcome and the day it was received. Adjourned or deferred is not an outcome."""

    hearing_outcome = forms.ChoiceField(
        label="What did the Parole Board decide?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        help_text="If the hearing was adjourned or deferred there is no outcome yet: change the target hearing date "
        "instead (the COM stays responsible).",
        error_messages={"required": "Select the hearing outcome"},
    )
    hearing_outcome_received_on = _date_field(
        "Date the outcome was received", help_text="The handover is recalculated as soon as you save."
    )


class RecallPlacementForm(forms.Form):
    """The HOMD's choice. The return to custody is read from the record (the arrival date), never posted."""

    chosen = forms.ChoiceField(
        label="Where does the recalled prisoner go?",
        choices=RecallPlacement.choices,
        widget=forms.RadioSelect,
        help_text="For a standard recall, the 24 months left to the sentence expiry date are counted from the date "
        "of the return to custody shown above: under 24 months, a resettlement prison; 24 months or more, a training "
        "prison. A fixed-term recall stays at a reception prison.",
        error_messages={"required": "Choose where the recalled prisoner goes"},
    )
    override_reason = forms.CharField(
        label="Reason for choosing another placement",
        help_text="Needed when you do not take the suggested placement, for example an intervention that needs a "
        "training prison, or a likely re-release that needs a resettlement prison. At most 500 characters.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Give the reason in 500 characters or fewer"},
    )
