"""Forms of the API client pages (service admin): parsing and field validation only."""

from django import forms

from api.scopes import SCOPES
from cases.models import Prison

RATE_ERRORS = {
    "required": "Enter the rate limit in requests a minute",
    "invalid": "Enter the rate limit as a whole number, like 1200",
    "min_value": "The rate limit must be at least 1 request a minute",
    "max_value": "The rate limit must be at most 100000 requests a minute",
}


class ApiClientForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label="Scopes",
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What the client may do. A client with no scopes can only get tokens.",
    )
    prisons = forms.ModelMultipleChoiceField(
        label="Prisons",
        queryset=Prison.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for a national client that sees every prison.",
    )
    rate_limit_per_minute = forms.IntegerField(
        label="Rate limit (requests a minute)",
        min_value=1,
        max_value=100_000,
        initial=1200,
        error_messages=RATE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )


class ApiClientCreateForm(ApiClientForm):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="The system that will call the API, like 'nDelius' or 'Manage a workforce'.",
        error_messages={"required": "Enter the client's name", "max_length": "Name must be 80 characters or fewer"},
    )
    field_order = ["name", "scopes", "prisons", "rate_limit_per_minute"]
