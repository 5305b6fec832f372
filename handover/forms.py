"""Forms for the handover pages: parsing and field validation only; the services make the changes."""

from django import forms

from handover.checklist import TASK_HINTS, TASK_LABELS
from handover.models import OverrideReason
from handover.selectors import ALERT_KINDS


class ChecklistForm(forms.Form):
    done = forms.MultipleChoiceField(
        label="Which handover tasks are done?",
        help_text="Select all that apply.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tasks: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"].choices = [
            (name, f"{TASK_LABELS[name]} ({TASK_HINTS[name]})" if name in TASK_HINTS else TASK_LABELS[name])
            for name in tasks
        ]


class OverrideForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the COM taking responsibility?",
        choices=OverrideReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why responsibility moves to the COM"},
    )
    reason_text = forms.CharField(
        label="Give details",
        help_text="Needed when the reason is “Other reason”. At most 500 characters.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Give details in 500 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == OverrideReason.OTHER and not (cleaned.get("reason_text") or "").strip():
            self.add_error("reason_text", "Give the reason responsibility moves to the COM")
        return cleaned


class OverrideRemoveForm(forms.Form):
    removal_reason = forms.CharField(
        label="Why are you removing the override?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Give the reason for removing the override",
            "max_length": "Give the reason in 500 characters or fewer",
        },
    )

    def clean_removal_reason(self):
        value = self.cleaned_data["removal_reason"].strip()
        if not value:
            raise forms.ValidationError("Give the reason for removing the override")
        return value


class AlertFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of alert", choices=[("", "All kinds"), *ALERT_KINDS.items()], required=False)


class EmailPreferenceForm(forms.Form):
    upcoming_handover = forms.BooleanField(label="56 days before the handover date", required=False)
    handover_date = forms.BooleanField(label="On the handover date, when a COM is allocated", required=False)
    com_allocation_overdue = forms.BooleanField(
        label="14 days after the handover date, if there is still no COM", required=False
    )


class PolicyPreviewForm(forms.Form):
    """`prisons` are the only prisons the user may preview; "" (every prison) only when it is among them (D-17)."""

    policy = forms.ChoiceField(label="Policy version", error_messages={"required": "Select a policy version"})
    prison = forms.ChoiceField(label="Prison", error_messages={"required": "Select a prison"})

    def __init__(self, *args, policies: list[tuple[str, str]], prisons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", "Choose a policy version"), *policies]
        self.fields["prison"].choices = prisons
        # A ChoiceField always accepts "" when it is not required: only the service admin's "Every prison" may be blank.
        self.fields["prison"].required = "" not in {code for code, _ in prisons}

    def clean_prison(self):
        code = self.cleaned_data["prison"]
        if code not in {value for value, _ in self.fields["prison"].choices}:
            raise forms.ValidationError("Select one of your prisons")
        return code
