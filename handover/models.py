"""What the handover engine stores: the calculated result per case, its history, overrides, checklists and runs.

The calculation itself is pure (`handover.calculations`); these rows record what it said, when, and from which
inputs, so anyone can answer "why did this case hand over on that date?".
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Responsibility(models.TextChoices):
    CUSTODY_ONLY = "CustodyOnly", "POM responsible"
    CUSTODY_WITH_COM = "CustodyWithCom", "POM responsible, COM supporting"
    COMMUNITY = "Community", "COM responsible, POM supporting"


class HandoverType(models.TextChoices):
    """DECISIONS.md D-07: drives the checklist. `missing` means no case information or no calculation yet."""

    NONE = "none", "No handover (short sentence)"
    STANDARD = "standard", "Standard handover"
    ENHANCED = "enhanced", "Enhanced handover"
    MISSING = "missing", "Not known yet"


class CalculatedHandover(models.Model):
    """The engine's latest result for one prisoner. Saved only when something changed."""

    Responsibility = Responsibility
    HandoverType = HandoverType

    prisoner = models.OneToOneField(
        "cases.Prisoner", on_delete=models.CASCADE, primary_key=True, related_name="calculated_handover"
    )
    inside_omic_policy = models.BooleanField(default=True)
    responsibility = models.CharField(max_length=14, choices=Responsibility.choices, blank=True)
    handover_start_date = models.DateField(null=True, blank=True)
    handover_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=40)
    handover_type = models.CharField(max_length=8, choices=HandoverType.choices, default=HandoverType.MISSING)
    policy = models.CharField(max_length=10)
    earliest_release_type = models.CharField(max_length=4, blank=True)
    earliest_release_date = models.DateField(null=True, blank=True)
    inputs = models.JSONField(default=dict, help_text="The facts the calculation used, as they were.")
    calculated_on = models.DateField(help_text="The day ('today') the calculation was made for.")
    last_calculated_at = models.DateTimeField()
    last_changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "calculated handover"
        indexes = [
            models.Index(fields=["handover_date"], name="handover_date_idx"),
            models.Index(fields=["handover_start_date"], name="handover_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(responsibility__in=[*Responsibility.values, ""]),
                name="handover_responsibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(handover_type__in=HandoverType.values), name="handover_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(handover_start_date__isnull=True)
                | models.Q(handover_date__isnull=True)
                | models.Q(handover_start_date__lte=models.F("handover_date")),
                name="handover_start_not_after_handover",
            ),
            models.CheckConstraint(
                condition=models.Q(inside_omic_policy=True) | models.Q(responsibility=""),
                name="handover_outside_omic_has_no_responsibility",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prisoner_id}: {self.responsibility or 'outside OMiC'} ({self.reason})"


class CalculatedHandoverHistory(models.Model):
    """Every change to a stored result, with the inputs as they were and what triggered the recalculation."""

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="handover_history")
    changed_at = models.DateTimeField(db_index=True)
    trigger = models.CharField(max_length=40, help_text="What asked for the recalculation: sweep, sentence, ...")
    inside_omic_policy = models.BooleanField(default=True)
    responsibility = models.CharField(max_length=14, blank=True)
    handover_start_date = models.DateField(null=True, blank=True)
    handover_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=40)
    handover_type = models.CharField(max_length=8)
    policy = models.CharField(max_length=10)
    earliest_release_type = models.CharField(max_length=4, blank=True)
    earliest_release_date = models.DateField(null=True, blank=True)
    inputs = models.JSONField(default=dict)
    calculated_on = models.DateField()

    class Meta:
        verbose_name = "calculated handover history"
        verbose_name_plural = "calculated handover history"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prisoner_id} at {self.changed_at:%Y-%m-%d %H:%M}: {self.responsibility} ({self.reason})"


class OverrideReason(models.TextChoices):
    """DECISIONS.md D-06."""

    UNDER_10_MONTHS = "under_10_months", "Less than 10 months left to serve"
    COMMUNITY_DECISION = "community_decision", "Decision made by the community probation team"
    RECALLED = "recalled", "Prisoner has been recalled"
    OTHER = "other", "Other reason"


class ResponsibilityOverride(models.Model):
    """A HOMD's override of the calculated responsibility to the COM (D-06). It never changes the dates.

    Removing it keeps the row (with who, when and why) and the calculated value applies again.
    """

    Reason = OverrideReason

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="responsibility_overrides")
    reason = models.CharField(max_length=18, choices=OverrideReason.choices)
    reason_text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner"], condition=models.Q(removed_at__isnull=True), name="override_one_active_per_case"
            ),
            models.CheckConstraint(condition=models.Q(reason__in=OverrideReason.values), name="override_reason_valid"),
            models.CheckConstraint(
                condition=~models.Q(reason="other") | ~models.Q(reason_text=""), name="override_other_needs_text"
            ),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True) | ~models.Q(removal_reason=""),
                name="override_removal_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"COM override for {self.prisoner_id} ({self.get_reason_display()})"


class HandoverChecklist(models.Model):
    """The POM's handover tasks for one case (D-07). Reset when the case leaves the handover window."""

    prisoner = models.OneToOneField(
        "cases.Prisoner", on_delete=models.CASCADE, primary_key=True, related_name="handover_checklist"
    )
    handover_type = models.CharField(max_length=8, choices=HandoverType.choices)
    reviewed_oasys = models.BooleanField("review OASys", default=False)
    contacted_com = models.BooleanField("contact the COM", default=False)
    attended_handover_meeting = models.BooleanField("hold a handover meeting", default=False)
    sent_handover_report = models.BooleanField("send the handover report", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Handover checklist for {self.prisoner_id}"


class HandoverEmailPreference(models.Model):
    """A POM's opt-outs from the handover reminder emails. No row means every email is wanted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="handover_email_preference"
    )
    upcoming_handover = models.BooleanField("56 days before the handover date", default=True)
    handover_date = models.BooleanField("on the handover date", default=True)
    com_allocation_overdue = models.BooleanField("14 days after the handover date with no COM", default=True)

    def __str__(self) -> str:
        return f"Handover email preferences for {self.user}"


class SweepRun(models.Model):
    """One run of the nightly recalculation: when, how many cases, how many changed, how many failed."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    calculated_on = models.DateField()
    prison = models.ForeignKey("cases.Prison", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    computed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    fanout = models.BooleanField(default=False, help_text="Fanned out to the workers, one task per prison.")
    prisons_total = models.PositiveIntegerField(default=0)
    prisons_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["calculated_on"],
                condition=models.Q(fanout=True, finished_at__isnull=True),
                name="sweep_run_one_unfinished_fanout_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(prisons_done__lte=models.F("prisons_total")), name="sweep_run_prisons_done_lte_total"
            ),
        ]

    def __str__(self) -> str:
        return f"Sweep {self.started_at:%Y-%m-%d %H:%M}: {self.computed} computed, {self.changed} changed"


class SweepRunPrison(models.Model):
    """One prison's part of a fanned-out sweep: done once (``finished_at``), whatever the task redeliveries.

    ``resume_after`` is the last prison number of the last chunk committed, written in that chunk's transaction with
    the counts, so a task redelivered after a worker died goes on from there and counts each case once.
    """

    run = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="prisons")
    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    resume_after = models.CharField(max_length=10, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="How many tasks started this prison's part.")
    swept_by = models.CharField(max_length=200, blank=True, help_text="The worker that finished it (its hostname).")
    computed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "prison"]
        constraints = [models.UniqueConstraint(fields=["run", "prison"], name="sweep_run_prison_once")]

    def __str__(self) -> str:
        return f"{self.prison_id} in sweep {self.run_id}"
