"""What the tiering engine stores: each case's tier inputs (what probation sends) and its tier records.

A tier record is one tier for one case, with where it came from (calculated, entered by hand with a reason, or
imported), the inputs used and the points breakdown. Records are only ever added: a change makes a new record current
and keeps the old one, so the records of a case are its tier history (DECISIONS.md D-10).
"""

from django.conf import settings
from django.db import models

from cases.models.prisoners import Tier, TierSource


class TierModel(models.TextChoices):
    V2 = "v2", "HMPPS tier V2 (protect A–D, change 0–3)"
    V3 = "v3", "A–G tier (V3)"


class InputsSource(models.TextChoices):
    PROBATION = "probation", "Sent by probation"
    MANUAL = "manual", "Entered by hand"
    IMPORTED = "imported", "Imported"


class TierInputs(models.Model):
    """The facts a case's tier is calculated from, in the calculation's own input format (TIER-CLI.md, the
    reference's section 3), checked by that calculation's parser before they are saved."""

    Model = TierModel
    Source = InputsSource

    prisoner = models.OneToOneField(
        "cases.Prisoner", on_delete=models.CASCADE, primary_key=True, related_name="tier_inputs"
    )
    model = models.CharField(max_length=2, choices=TierModel.choices)
    inputs = models.JSONField(default=dict)
    source = models.CharField(max_length=10, choices=InputsSource.choices)
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=150, help_text="A username, or a command or job name.")

    class Meta:
        verbose_name = "tier inputs"
        verbose_name_plural = "tier inputs"
        constraints = [
            models.CheckConstraint(condition=models.Q(model__in=TierModel.values), name="tier_inputs_model_valid"),
            models.CheckConstraint(condition=models.Q(source__in=InputsSource.values), name="tier_inputs_source_valid"),
        ]

    def __str__(self) -> str:
        return f"Tier inputs ({self.model}) for {self.prisoner_id}"


class TierRecord(models.Model):
    """One tier of one case. Exactly one record per case is current; the others are its history."""

    Source = TierSource
    Model = TierModel

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="tier_records")
    current = models.BooleanField(default=True)
    tier = models.CharField(
        max_length=1, choices=Tier.choices, blank=True, help_text="The letter custody uses; blank when there is none."
    )
    score = models.CharField(max_length=16, help_text="The full result: B2S under V2, a letter or NOT_SUPERVISED.")
    model = models.CharField(max_length=2, choices=TierModel.choices, blank=True)
    provisional = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=TierSource.choices)
    reason = models.TextField(blank=True)
    inputs = models.JSONField(null=True, blank=True, help_text="The inputs used, as they were.")
    breakdown = models.JSONField(default=list, blank=True, help_text="[factor, points or tier] pairs.")
    calculated_on = models.DateField(help_text="The day the record was made for.")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=150)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["prisoner", "-recorded_at"], name="tier_record_history_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner"], condition=models.Q(current=True), name="tier_record_one_current_per_case"
            ),
            models.CheckConstraint(condition=models.Q(tier__in=[*Tier.values, ""]), name="tier_record_tier_valid"),
            models.CheckConstraint(condition=models.Q(source__in=TierSource.values), name="tier_record_source_valid"),
            models.CheckConstraint(
                condition=models.Q(model__in=[*TierModel.values, ""]), name="tier_record_model_valid"
            ),
            # A tier entered by hand always has a letter and the reason it was entered.
            models.CheckConstraint(
                condition=~models.Q(source=TierSource.MANUAL) | (~models.Q(reason="") & ~models.Q(tier="")),
                name="tier_record_manual_needs_tier_and_reason",
            ),
            # A calculated tier always says which model made it and from which inputs.
            models.CheckConstraint(
                condition=~models.Q(source=TierSource.CALCULATED)
                | (~models.Q(model="") & models.Q(inputs__isnull=False)),
                name="tier_record_calculated_has_model_and_inputs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prisoner_id}: {self.score} ({self.source}{', current' if self.current else ''})"
