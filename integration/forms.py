"""Forms of the service admin's integration pages: parsing and field validation only; the services make changes."""

from django import forms

from cases.validators import validate_prison_code
from integration.models import EventStatus, WebhookEventType


class EventFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Failed or parked"), *EventStatus.choices],
        required=False,
    )
    q = forms.CharField(label="Prison number or event id", max_length=100, required=False)


class SubscriptionForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    url = forms.URLField(
        label="Receiver address", max_length=500, help_text="An https:// address.", assume_scheme="https"
    )
    event_types = forms.MultipleChoiceField(
        label="Events to send", choices=WebhookEventType.choices, widget=forms.CheckboxSelectMultiple
    )
    prisons = forms.CharField(
        label="Prison codes (optional)",
        required=False,
        max_length=400,
        help_text="Separated by commas, like LEI, MDI. Leave blank for every prison.",
    )

    def clean_prisons(self):
        codes = [code.strip().upper() for code in self.cleaned_data["prisons"].split(",") if code.strip()]
        for code in codes:
            validate_prison_code(code)
        return codes
