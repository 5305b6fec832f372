"""Forms for the task pages: parsing and field validation only; ``casework.task_services`` makes the changes."""

from django import forms

from casework.calculations.tasks import TIMESCALE_LABELS, UNITS
from casework.models import TaskKind
from casework.task_selectors import STATES

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")
DONE, NOT_NEEDED = "done", "not_needed"


class TaskFilterForm(forms.Form):
    """The task list's filters (GET). Unknown values are ignored rather than refused: a stale link still works."""

    pom = forms.ChoiceField(label="POM", required=False)
    kind = forms.ChoiceField(label="Task", required=False, choices=[("", "All tasks"), *TaskKind.choices])
    state = forms.ChoiceField(label="State", required=False, choices=[("", "All states"), *STATES.items()])

    def __init__(self, *args, poms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if poms is None:
            del self.fields["pom"]
        else:
            self.fields["pom"].choices = [
                ("", "All POMs"),
                *((str(pom.pk), pom.user.get_full_name() or pom.user.get_username()) for pom in poms),
                ("none", "No POM allocated"),
            ]


class TaskUpdateForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened to this task?",
        choices=[(DONE, "It is done"), (NOT_NEEDED, "It is not needed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the task is done or not needed"},
    )
    completed_on = forms.DateField(
        label="Date it was done",
        help_text="Needed when it is done. For example, 27 3 2026.",
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": "Enter the date the task was done as a real date"},
    )
    reason = forms.CharField(
        label="Why is it not needed?",
        help_text="Needed when it is not needed. At most 500 characters.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Give the reason in 500 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == DONE and not cleaned.get("completed_on") and "completed_on" not in self.errors:
            self.add_error("completed_on", "Enter the date the task was done")
        if outcome == NOT_NEEDED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why the task is not needed")
        return cleaned


class TimescaleForm(forms.Form):
    amount = forms.IntegerField(
        label="Amount",
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the amount",
            "invalid": "Enter the amount as a whole number",
            "min_value": "Enter an amount of 1 or more",
            "max_value": "Enter an amount of 999 or less",
        },
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=[(unit, unit) for unit in UNITS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the unit"},
    )


__all__ = ["DONE", "NOT_NEEDED", "TIMESCALE_LABELS", "TaskFilterForm", "TaskUpdateForm", "TimescaleForm"]
