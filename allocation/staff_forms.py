"""Forms of the POM staff pages: parsing and field validation only; the services make the changes."""

from decimal import Decimal

from django import forms

from cases.models import PomAllocation, PomProfile

FTE_ERRORS = {
    "required": "Enter the working pattern, from 0.1 to 1.0 FTE",
    "invalid": "Enter the working pattern as a number, like 0.5",
    "min_value": "Working pattern must be 0.1 FTE or more",
    "max_value": "Working pattern must be 1.0 FTE or less (1.0 is full time)",
    "max_digits": "Working pattern must be from 0.1 to 1.0 FTE",
    "max_whole_digits": "Working pattern must be 1.0 FTE or less (1.0 is full time)",
    "max_decimal_places": "Enter the working pattern to one decimal place, like 0.5",
}
FTE_HELP = "Full time is 1.0 (37.5 hours a week); part time is 0.1 to 0.9. For example, 0.5 is 18.75 hours."


def working_pattern_field() -> forms.DecimalField:
    return forms.DecimalField(
        label="Working pattern (FTE)",
        help_text=FTE_HELP,
        min_value=Decimal("0.1"),
        max_value=Decimal("1.0"),
        max_digits=2,
        decimal_places=1,
        error_messages=FTE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-3"}),
    )


class PomEditForm(forms.Form):
    working_pattern = working_pattern_field()
    status = forms.ChoiceField(
        label="Status",
        choices=PomProfile.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the POM's status", "invalid_choice": "Choose the POM's status"},
        help_text="A POM who is away from work, or unavailable with cases, goes on to have their cases reallocated.",
    )


class PomAddForm(forms.Form):
    user = forms.ChoiceField(
        label="Member of staff",
        help_text="Staff who work in this prison and are not yet a POM here.",
        error_messages={"required": "Choose the member of staff", "invalid_choice": "Choose the member of staff"},
    )
    pom_type = forms.ChoiceField(
        label="Position",
        choices=PomProfile.PomType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the POM's position", "invalid_choice": "Choose the POM's position"},
    )
    working_pattern = working_pattern_field()

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a member of staff")] + [
            (str(user.pk), f"{user.get_full_name() or user.get_username()} ({user.get_username()})")
            for user in candidates
        ]


class BulkTargetForm(forms.Form):
    target = forms.ChoiceField(
        label="Reallocate to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the POM to reallocate to",
            "invalid_choice": "Choose the POM to reallocate to",
        },
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(str(row.pom.pk), row.pom.user.get_full_name()) for row in targets]


OVERRIDE_NEEDS_DETAIL = (PomAllocation.OverrideReason.SUITABILITY, PomAllocation.OverrideReason.OTHER)


class BulkCasesForm(forms.Form):
    """The cases to move and, where the target POM is not of a case's recommended type, why (DECISIONS.md D-08)."""

    cases = forms.MultipleChoiceField(
        label="Cases to reallocate",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one case to reallocate",
            "invalid_choice": "A case you selected is no longer allocated to this POM: select the cases again",
        },
    )
    override_reason = forms.ChoiceField(
        label="Why are you allocating to this type of POM?",
        choices=PomAllocation.OverrideReason.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Only needed where the POM's type is not the type recommended for a case.",
    )
    override_detail = forms.CharField(
        label="Give details",
        max_length=175,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for suitability or another reason. Up to 175 characters.",
        error_messages={"max_length": "Details must be 175 characters or fewer"},
    )

    def __init__(self, *args, cases, mismatched: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c.prisoner.prison_number, c.prisoner.prison_number) for c in cases]
        self.mismatched = mismatched

    def clean(self):
        data = super().clean()
        chosen = set(data.get("cases") or ())
        needs_reason = bool(chosen & self.mismatched)
        reason = data.get("override_reason")
        if needs_reason and not reason:
            self.add_error(
                "override_reason",
                "Choose why you are allocating cases to a POM who is not of the recommended type",
            )
        if reason in OVERRIDE_NEEDS_DETAIL and not (data.get("override_detail") or "").strip():
            self.add_error("override_detail", "Give details of why you chose this type of POM")
        if not needs_reason:
            data["override_reason"], data["override_detail"] = "", ""
        return data
