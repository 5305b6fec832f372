"""Forms for key work recording: parsing and field checks only; the services hold the rules."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError

from keywork.models import GoalStatus, QualityAnswer, QualityCheck, SessionType
from keywork.models.recording import MAXIMUM_SAMPLE_SIZE
from keywork.recording_calculations import parse_month
from keywork.recording_services import FUTURE_DATE, PLAN_REFUSED


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, against the field it names where the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class SessionForm(forms.Form):
    session_date = _date_field("Date", help_text="The day the session took place. It cannot be in the future.")
    session_type = forms.ChoiceField(
        label="Type",
        choices=SessionType.choices,
        widget=forms.RadioSelect,
        initial=SessionType.SESSION,
        error_messages={"required": "Choose the type of entry"},
    )
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        required=False,
        min_value=1,
        max_value=480,
        help_text="Needed for a session held. Include the interview, liaison and writing up.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "min_value": "The duration must be a positive number of minutes",
            "max_value": "The duration must be 480 minutes or fewer",
            "invalid": "Enter the duration as a whole number of minutes",
        },
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    is_sensitive = forms.BooleanField(
        label="This note is sensitive",
        required=False,
        help_text="Only OMU staff and the prisoner's POM will be able to read it. Other key workers will see that a "
        "session happened, not what was written.",
    )

    def __init__(self, *args, today: dt.date, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.goal_fields = []
        for goal in goals:
            name = f"goal_{goal.pk}"
            self.fields[name] = forms.CharField(
                label=f"Progress towards “{goal.description}”",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"Target date {goal.target_date.day} {goal.target_date:%B %Y}. Leave blank if not reviewed.",
            )
            self.goal_fields.append((goal.pk, name))

    def clean_session_date(self):
        day = self.cleaned_data["session_date"]
        if day > self.today:
            raise ValidationError(FUTURE_DATE)
        return day

    def clean(self):
        cleaned = super().clean()
        no_duration = not cleaned.get("duration_minutes") and "duration_minutes" not in self.errors
        if cleaned.get("session_type") == SessionType.SESSION and no_duration:
            self.add_error("duration_minutes", "Enter how long the session took, in minutes")
        return cleaned

    def goal_notes(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for pk, name in self.goal_fields}


class PomContactForm(forms.Form):
    contact_date = _date_field("Date of the contact", help_text="It cannot be in the future.")
    pom = UserChoiceField(queryset=None, label="POM", empty_label="Choose the POM")
    key_worker = UserChoiceField(queryset=None, label="Key worker", empty_label="Choose the key worker")
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you discussed and anything agreed, such as sentence plan targets to work on in key work.",
        error_messages={"required": "Enter a summary of what was discussed"},
    )

    def __init__(self, *args, poms, key_workers, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["pom"].queryset = poms
        self.fields["pom"].error_messages["required"] = "Choose the POM"
        self.fields["key_worker"].queryset = key_workers
        self.fields["key_worker"].error_messages["required"] = "Choose the key worker"

    def clean_contact_date(self):
        day = self.cleaned_data["contact_date"]
        if day > self.today:
            raise ValidationError(FUTURE_DATE)
        return day


YES_NO = [("yes", "Yes"), ("no", "No")]
GOAL_ROWS = 3


class ProgressionPlanForm(forms.Form):
    has_sentence_plan = forms.ChoiceField(
        label="Does the prisoner have a formal sentence plan?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the prisoner has a formal sentence plan"},
    )
    pom_agreed = forms.BooleanField(
        label="The POM has agreed to this progression plan",
        required=False,
        help_text="Needed when the prisoner has a formal sentence plan.",
    )
    agreed_by_pom = UserChoiceField(queryset=None, label="POM who agreed", required=False, empty_label="Not agreed")

    def __init__(self, *args, poms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by_pom"].queryset = poms
        for n in range(1, GOAL_ROWS + 1):
            self.fields[f"goal_{n}_description"] = forms.CharField(
                label=f"Goal {n}",
                max_length=300,
                required=n == 1,
                help_text="In the prisoner's own words." if n == 1 else "Optional.",
                error_messages={"required": "Enter at least one goal"},
            )
            self.fields[f"goal_{n}_target_date"] = _date_field(f"Target date for goal {n}", required=n == 1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_sentence_plan") == "yes" and not cleaned.get("pom_agreed"):
            self.add_error("pom_agreed", PLAN_REFUSED)
        if cleaned.get("pom_agreed") and not cleaned.get("agreed_by_pom"):
            self.add_error("agreed_by_pom", "Choose the POM who agreed to the plan")
        for n in range(1, GOAL_ROWS + 1):
            description = cleaned.get(f"goal_{n}_description")
            target = cleaned.get(f"goal_{n}_target_date")
            if description and not target and f"goal_{n}_target_date" not in self.errors:
                self.add_error(f"goal_{n}_target_date", f"Enter a target date for goal {n}")
            if target and not description and f"goal_{n}_description" not in self.errors:
                self.add_error(f"goal_{n}_description", f"Enter goal {n}, or remove its target date")
        return cleaned

    def goals(self) -> list[tuple[str, dt.date]]:
        rows = []
        for n in range(1, GOAL_ROWS + 1):
            description = self.cleaned_data.get(f"goal_{n}_description")
            if description:
                rows.append((description, self.cleaned_data[f"goal_{n}_target_date"]))
        return rows


class GoalForm(forms.Form):
    description = forms.CharField(
        label="Goal",
        max_length=300,
        error_messages={"required": "Enter the goal"},
        help_text="In the prisoner's words.",
    )
    target_date = _date_field("Target date")


class GoalProgressForm(forms.Form):
    goal = forms.TypedChoiceField(label="Goal", coerce=int, choices=())
    note = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label="Status", choices=GoalStatus.choices, widget=forms.RadioSelect)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(g.pk, g.description) for g in goals]


class QualityCheckForm(forms.Form):
    feedback = forms.CharField(
        label="Feedback for the key worker",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The key worker sees this on their page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        checklist = {}
        for name, label in QualityCheck.CHECKLIST:
            checklist[name] = forms.ChoiceField(
                label=label,
                choices=QualityAnswer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer “{label}”"},
            )
        self.fields = {**checklist, **self.fields}


class QualitySettingsForm(forms.Form):
    sample_size = forms.IntegerField(
        label="Entries to check for each key worker each month",
        min_value=1,
        max_value=MAXIMUM_SAMPLE_SIZE,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many entries to check",
            "min_value": "Check at least 1 entry",
            "max_value": f"Check at most {MAXIMUM_SAMPLE_SIZE} entries",
        },
    )


def recent_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """The months that have ended, newest first."""
    first = today.replace(day=1)
    return [first - relativedelta(months=n) for n in range(1, count + 1)]


class QualityDrawForm(forms.Form):
    month = forms.ChoiceField(label="Month to sample", error_messages={"required": "Choose a month"})

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in recent_months(today)]

    def month_date(self) -> dt.date:
        return parse_month(self.cleaned_data["month"])
