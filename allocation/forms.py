"""Forms for the allocation pages: parsing and field validation only; the services make the changes."""

from django import forms

from cases.models import CaseInformation, PomAllocation

OverrideReason = PomAllocation.OverrideReason
NEEDS_DETAIL = (OverrideReason.SUITABILITY, OverrideReason.OTHER)
STALE_PAGE = "This page is out of date: go back to the case and try again"


def expected_allocation_field() -> forms.IntegerField:
    """The hidden id of the primary allocation the user saw (blank for none), to catch someone else's change."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        max_value=999_999_999,
        error_messages={key: STALE_PAGE for key in ("invalid", "min_value", "max_value")},
    )


def expected_error_to_page(form: forms.Form) -> None:
    """A hidden field's error has no field to show by: show it above the form instead (call from ``clean``)."""
    errors = form._errors.pop("expected", None)
    if errors:
        form.add_error(None, errors)


class AllocateForm(forms.Form):
    """Confirm an allocation: the override reason when the POM type is not the recommended one, and a message."""

    override_reason = forms.ChoiceField(
        label="Why are you allocating a POM of a type that was not recommended?",
        choices=OverrideReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    override_detail = forms.CharField(
        label="Give details",
        help_text="Needed for suitability and for other reasons. Up to 175 characters.",
        max_length=175,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    message = forms.CharField(
        label="Message to the POM (optional)",
        help_text="Sent with the allocation email.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected = expected_allocation_field()

    def __init__(self, *args, override_needed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.override_needed = override_needed
        if not override_needed:
            del self.fields["override_reason"]
            del self.fields["override_detail"]

    def clean(self):
        data = super().clean()
        expected_error_to_page(self)
        if self.override_needed:
            reason = data.get("override_reason")
            if not reason:
                self.add_error("override_reason", "Select why you chose a POM of a type that was not recommended")
            elif reason in NEEDS_DETAIL and not (data.get("override_detail") or "").strip():
                self.add_error("override_detail", "Give the reason in your own words")
        return data


class DeallocateForm(forms.Form):
    expected = expected_allocation_field()

    def clean(self):
        data = super().clean()
        expected_error_to_page(self)
        return data


class CoWorkerForm(forms.Form):
    pom = forms.TypedChoiceField(label="Choose the co-working POM", coerce=int, widget=forms.RadioSelect)
    message = forms.CharField(
        label="Message to the POM (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, workloads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pom"].choices = [
            (
                w.pom.pk,
                f"{w.pom.user.get_full_name()} – {w.pom.get_pom_type_display()}, {w.total} cases, "
                f"weighted load {w.load} ({w.per_fte} per FTE)",
            )
            for w in workloads
        ]
        self.fields["pom"].error_messages["required"] = "Choose a co-working POM"


ENHANCED_CHOICES = [("unknown", "Not known (treated as enhanced)"), ("yes", "Yes"), ("no", "No")]


class MissingDetailsForm(forms.Form):
    """Fill in what the case lacks by hand: the tier (with a reason), risk basics and, in the women's estate, the
    complexity of need."""

    tier = forms.ChoiceField(
        label="Tier", choices=[("", "Choose a tier"), *CaseInformation.Tier.choices], required=False
    )
    tier_reason = forms.CharField(
        label="Why are you entering the tier by hand?",
        help_text="For example, the case is not in nDelius yet.",
        max_length=500,
        required=False,
    )
    rosh_level = forms.ChoiceField(
        label="RoSH level", choices=[("", "Not known"), *CaseInformation.RoshLevel.choices], required=False
    )
    mappa_level = forms.TypedChoiceField(
        label="MAPPA level",
        choices=[("", "Not known"), ("0", "Not MAPPA"), ("1", "1"), ("2", "2"), ("3", "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    enhanced_resourcing = forms.ChoiceField(
        label="Enhanced resourcing", choices=ENHANCED_CHOICES, widget=forms.RadioSelect, initial="unknown"
    )
    womens_complexity = forms.ChoiceField(
        label="Complexity of need",
        choices=CaseInformation.Complexity.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, womens_estate: bool, current_tier: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.womens_estate, self.current_tier = womens_estate, current_tier
        if not womens_estate:
            del self.fields["womens_complexity"]

    def clean(self):
        data = super().clean()
        if not self.current_tier and not data.get("tier"):
            self.add_error("tier", "Choose the tier")
        if data.get("tier") and data["tier"] != self.current_tier and not (data.get("tier_reason") or "").strip():
            self.add_error("tier_reason", "Say why you are entering the tier by hand")
        if self.womens_estate and not data.get("womens_complexity"):
            self.add_error("womens_complexity", "Choose the complexity of need")
        return data

    def case_values(self) -> dict:
        """The case information values to save (not the tier: that goes through the tiering engine)."""
        data = self.cleaned_data
        values = {
            "rosh_level": data["rosh_level"],
            "mappa_level": data["mappa_level"],
            "enhanced_resourcing": {"yes": True, "no": False}.get(data["enhanced_resourcing"]),
        }
        if self.womens_estate:
            values["womens_complexity"] = data["womens_complexity"]
        return values
