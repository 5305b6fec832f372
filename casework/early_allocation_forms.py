"""Forms for early allocation: parsing and field checks only; ``early_allocation_services`` holds the rules.

The assessment is two steps on one page address: the OASys date and the statutory questions, then (only when every
statutory answer is "no") the discretionary questions. The second step carries the first step's answers as hidden
fields, and the service checks everything again, so nothing is trusted from the browser.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from casework.calculations.early_allocation import DISCRETIONARY_QUESTIONS, STATUTORY_QUESTIONS

YES_NO = [("yes", "Yes"), ("no", "No")]

STATUTORY_LABELS = {
    "convicted_under_terrorism_act_2000": "Has the person been convicted of an offence under the Terrorism Act 2000?",
    "high_profile": "Is the case identified as high profile?",
    "serious_crime_prevention_order": "Is the person subject to a serious crime prevention order?",
    "mappa_level_3": "Is the person managed at MAPPA level 3?",
    "cppc_case": "Is this a Critical Public Protection Case (CPPC)?",
}
DISCRETIONARY_LABELS = {
    "high_risk_of_serious_harm": "Is the person assessed as very high risk of serious harm (RoSH)?",
    "mappa_level_2": "Does the person need to be managed at MAPPA level 2 earlier, in exceptional circumstances?",
    "extremism_screening": "Has the person been identified through the Multi Agency Extremism Screening meeting?",
    "other_reason": "Is there another reason the COM needs more time to plan the release?",
    "extremism_separation": "Is the person held in a separation centre?",
}
DISCRETIONARY_HINTS = {
    # Reference 1.2 and the brief: a discretionary question, never a statutory one.
    "extremism_separation": "This is asked among the discretionary questions: being held in a separation centre and "
    "due for release within 24 months can support a discretionary referral, which needs a reason and the HOMD's "
    "approval. It never makes the case automatically eligible.",
}
DUE_24 = "due_for_release_in_less_than_24months"


def _yes_no(label: str, *, hidden: bool = False, required: bool = True, hint: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=required,
        help_text=hint,
        widget=forms.HiddenInput if hidden else forms.RadioSelect,
        error_messages={"required": f"Select yes or no: {label[:1].lower()}{label[1:]}"},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"}, **kwargs)


def _date(label: str, hint: str, *, required: str, invalid: str, hidden: bool = False) -> forms.DateField:
    """A date field; its error messages are written out by the caller (never a lowercased label: "OASys")."""
    return forms.DateField(
        label=label,
        help_text=hint,
        widget=forms.HiddenInput if hidden else DateInput(),
        error_messages={"required": required, "invalid": invalid},
    )


class StatutoryForm(forms.Form):
    """Step 1: the latest OASys and the five statutory questions (any "yes": automatically eligible)."""

    step = forms.CharField(widget=forms.HiddenInput, initial="statutory", required=False)

    def __init__(self, *args, today: dt.date, hidden: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["oasys_risk_assessment_date"] = _date(
            "Date of the latest OASys risk assessment",
            "For example, 27 3 2026. It cannot be in the future.",
            required="Enter the date of the latest OASys risk assessment",
            invalid="Enter the date of the latest OASys risk assessment as a real date, for example 27 3 2026",
            hidden=hidden,
        )
        for name in STATUTORY_QUESTIONS:
            self.fields[name] = _yes_no(STATUTORY_LABELS[name], hidden=hidden)

    def clean_oasys_risk_assessment_date(self):
        day = self.cleaned_data["oasys_risk_assessment_date"]
        if day > self.today:
            raise ValidationError("The date of the latest OASys cannot be in the future")
        return day

    @property
    def any_yes(self) -> bool:
        return any(self.cleaned_data.get(name) for name in STATUTORY_QUESTIONS)


class DiscretionaryForm(forms.Form):
    """Step 2: the discretionary questions, then the reason a discretionary referral needs."""

    def __init__(self, *args, ask_due_24: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DISCRETIONARY_QUESTIONS:
            self.fields[name] = _yes_no(DISCRETIONARY_LABELS[name], hint=DISCRETIONARY_HINTS.get(name, ""))
        self.ask_due_24 = ask_due_24
        if ask_due_24:
            self.fields[DUE_24] = _yes_no(
                "If held in a separation centre: is the person due for release within 24 months?",
                required=False,
                hint="The case has no release date to work this out from. Answer only if the person is held in a "
                "separation centre.",
            )
        self.fields["reason"] = forms.CharField(
            label="Why does this case need early allocation?",
            help_text="Needed when any answer is yes. Explain the time the COM needs to plan a complex release, not "
            "only the risk of serious harm. At most 1000 characters.",
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": "Give the reason in 1000 characters or fewer"},
        )

    def clean(self):
        cleaned = super().clean()
        if self.ask_due_24 and cleaned.get("extremism_separation") and cleaned.get(DUE_24) is None:
            self.add_error(DUE_24, "Select yes if the person is due for release within 24 months")
        any_yes = any(cleaned.get(name) for name in DISCRETIONARY_QUESTIONS if name != "extremism_separation")
        if any_yes and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for a discretionary referral")
        return cleaned


class CommunityDecisionForm(forms.Form):
    """The community's answer to the referral. An automatically eligible case is only confirmed (no "no")."""

    expected = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, today: dt.date, confirm_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.confirm_only = confirm_only
        if not confirm_only:
            self.fields["decision"] = forms.TypedChoiceField(
                label="Did the community accept early allocation?",
                choices=[("yes", "Yes, the COM takes over early"), ("no", "No, early allocation is refused")],
                coerce=lambda value: value == "yes",
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"required": "Select whether the community accepted early allocation"},
            )
        if confirm_only:
            label, what = "Date the community confirmed", "the date the community confirmed early allocation"
        else:
            label, what = "Date of the community decision", "the date of the community decision"
        self.fields["decided_on"] = _date(
            label,
            "For example, 27 3 2026. It cannot be in the future.",
            required=f"Enter {what}",
            invalid=f"Enter {what} as a real date, for example 27 3 2026",
        )

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > self.today:
            raise ValidationError("The date of the community decision cannot be in the future")
        return day

    @property
    def decision(self) -> bool | None:
        return True if self.confirm_only else self.cleaned_data.get("decision")


class ApproveForm(forms.Form):
    expected = forms.IntegerField(widget=forms.HiddenInput, required=False)


def apply_service_errors(form_for_field, error: ValidationError, fallback: forms.Form) -> None:
    """Show a service's refusal against the field it names on whichever form has it, else on ``fallback``."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form = form_for_field(field)
            if form is None:
                fallback.add_error(None, errors)
            else:
                form.add_error(field, errors)
    else:
        fallback.add_error(None, error)
