"""Key work forms. Rendered with the GOV.UK renderer (settings.FORM_RENDERER); errors name their field."""

import datetime as dt

from django import forms

from keywork.models import DeallocationReason, KeyworkConfiguration, KeyWorkerStatus
from keywork.models.allocations import CHOSEN_REASONS
from keywork.services import CONFIG_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")
NUMBER = {"class": "govuk-input--width-3", "inputmode": "numeric"}


class ConfigurationForm(forms.ModelForm):
    class Meta:
        model = KeyworkConfiguration
        fields = list(CONFIG_FIELDS)  # the fields the service saves and audits, listed once
        labels = {
            "is_enabled": "Key work is delivered at this prison",
            "allow_auto_allocation": "Allow auto-allocation of key workers",
        }
        help_texts = {
            "is_enabled": "There is no key work in the male open estate (DECISIONS.md D-14).",
            "session_minutes": "45 minutes a week is the standard; 90 for fortnightly sessions.",
            "target_caseload": "About 6 prisoners for each key worker.",
            "maximum_caseload": "Auto-allocation never goes over this (9 by default).",
        }
        widgets = {
            "frequency_weeks": forms.RadioSelect(choices=[(1, "Every week"), (2, "Every 2 weeks (fortnightly)")]),
            "session_minutes": forms.NumberInput(attrs=NUMBER),
            "target_caseload": forms.NumberInput(attrs=NUMBER),
            "maximum_caseload": forms.NumberInput(attrs=NUMBER),
        }
        error_messages = {
            "session_minutes": {"required": "Enter the session length in minutes"},
            "target_caseload": {"required": "Enter the target caseload"},
            "maximum_caseload": {"required": "Enter the maximum caseload"},
        }

    def clean(self):
        data = super().clean()
        target, maximum = data.get("target_caseload"), data.get("maximum_caseload")
        if target is not None and target < 1:
            self.add_error("target_caseload", "The target caseload must be at least 1")
        if target is not None and maximum is not None and maximum < target:
            self.add_error("maximum_caseload", "The maximum caseload must be at least the target caseload")
        minutes = data.get("session_minutes")
        if minutes is not None and not 15 <= minutes <= 180:
            self.add_error("session_minutes", "The session length must be between 15 and 180 minutes")
        if data.get("frequency_weeks") == 2 and not (data.get("fortnightly_approval") or "").strip():
            self.add_error(
                "fortnightly_approval", "Say who approved fortnightly sessions: it needs the Prison Group Director"
            )
        return data

    def validate_constraints(self, exclude=None):
        # The form's own checks above give field-named messages for the database constraints.
        return


class KeyWorkerProfileForm(forms.Form):
    status = forms.ChoiceField(
        choices=KeyWorkerStatus.choices, widget=forms.RadioSelect, error_messages={"required": "Choose a status"}
    )
    return_date = forms.DateField(
        label="Return from annual leave",
        required=False,
        widget=DATE_WIDGET,
        help_text="For annual leave only: they become active again on this day.",
        error_messages={"invalid": "Enter the return date as a real date"},
    )
    capacity = forms.IntegerField(
        label="Capacity override",
        required=False,
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs=NUMBER),
        help_text="Leave blank to use the prison's target caseload.",
        error_messages={
            "min_value": "The capacity must be at least 1",
            "max_value": "The capacity must be 50 or less",
            "invalid": "Enter the capacity as a whole number",
        },
    )
    allow_auto_allocation = forms.BooleanField(label="Takes auto-allocation", required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("status") == KeyWorkerStatus.ANNUAL_LEAVE:
            if not data.get("return_date"):
                self.add_error("return_date", "Enter the date they return from annual leave")
            elif data["return_date"] <= self.today:
                self.add_error("return_date", "The return date must be in the future")
        else:
            data["return_date"] = None
        return data


class AllocateForm(forms.Form):
    key_worker = forms.TypedChoiceField(
        coerce=int, label="Key worker", error_messages={"required": "Choose a key worker"}
    )

    def __init__(self, *args, key_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].choices = [("", "Choose a key worker")] + [
            (row.id, f"{row.allocated} allocated – {row.list_name}") for row in key_workers if row.is_active
        ]


class DeallocateForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the key worker being deallocated?",
        choices=[(r.value, r.label) for r in CHOSEN_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason"},
    )
    detail = forms.CharField(
        label="Details", required=False, max_length=200, help_text="Needed when the reason is other."
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == DeallocationReason.OTHER and not (data.get("detail") or "").strip():
            self.add_error("detail", "Say why the key worker is being deallocated")
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE_WIDGET, error_messages={"invalid": "Enter a real start date"})
    end = forms.DateField(label="To", widget=DATE_WIDGET, error_messages={"invalid": "Enter a real end date"})

    # Key work began long after 2000; far-off years would overflow the previous-period arithmetic.
    EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not self.EARLIEST <= day <= self.LATEST:
                self.add_error(name, "Enter a date between 1 January 2000 and 31 December 2099")
                data[name] = None
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end date must be on or after the start date")
            elif (end - start).days > 731:
                self.add_error("end", "Choose a period of 2 years or less")
        return data
