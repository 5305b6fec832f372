"""Parsing and field checks for the tiering pages; the services do the rest."""

from django import forms

from cases.models.prisoners import Tier


class TierByHandForm(forms.Form):
    tier = forms.ChoiceField(
        label="Tier",
        choices=Tier.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a tier from A to G"},
        help_text="Tiers E to G are the A–G model's lower tiers; they get no recommended POM type.",
    )
    reason = forms.CharField(
        label="Why are you entering the tier by hand?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the tier is being entered by hand",
            "max_length": "Reason must be 500 characters or fewer",
        },
        help_text="For example: the probation record is not available yet. Up to 500 characters.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the tier is being entered by hand")
        return reason
