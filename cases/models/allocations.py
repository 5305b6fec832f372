from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class AllocationRole(models.TextChoices):
    PRIMARY = "primary", "Primary POM"
    CO_WORKING = "co_working", "Co-working POM"


class EndTrigger(models.TextChoices):
    """Why an allocation ended: the trigger shown on the case timeline."""

    USER = "user", "Deallocated by a member of staff"
    REALLOCATED = "reallocated", "Reallocated to another POM"
    TRANSFER = "transfer", "Transferred to another prison"
    RELEASE = "release", "Released"
    LEGAL_STATUS = "legal_status", "Legal status changed"
    POM_INACTIVE = "pom_inactive", "POM no longer active"


class OverrideReason(models.TextChoices):
    """Why staff chose the POM type that was not recommended (DECISIONS.md D-08)."""

    SUITABILITY = "suitability", "Prisoner assessed as suitable for this type of POM"
    NO_STAFF = "no_staff", "No available POMs of the recommended type"
    CONTINUITY = "continuity", "This POM has worked with the prisoner before"
    OTHER = "other", "Other reason"


class PomAllocation(models.Model):
    """One POM's allocation to one case, as primary or co-working POM, from allocation until it ends.

    Ended allocations are kept: they are the case's POM history. The database allows at most one active
    primary and one active co-working POM per prisoner, and never the same POM twice on one case.
    """

    Role = AllocationRole
    EndTrigger = EndTrigger
    OverrideReason = OverrideReason

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="pom_allocations")
    pom = models.ForeignKey("cases.PomProfile", on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(max_length=10, choices=AllocationRole.choices)
    allocated_at = models.DateTimeField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recommended_pom_type = models.CharField(max_length=9, blank=True)
    override_reason = models.CharField(max_length=11, choices=OverrideReason.choices, blank=True)
    override_detail = models.CharField(max_length=175, blank=True)
    message = models.TextField("message to the POM", blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_trigger = models.CharField(max_length=12, choices=EndTrigger.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "POM allocation"
        ordering = ["-allocated_at", "-id"]
        indexes = [models.Index(fields=["pom", "ended_at"], name="allocation_pom_active_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="allocation_one_active_per_role",
            ),
            models.UniqueConstraint(
                fields=["prisoner", "pom"],
                condition=models.Q(ended_at__isnull=True),
                name="allocation_pom_once_per_case",
            ),
            models.CheckConstraint(condition=models.Q(role__in=AllocationRole.values), name="allocation_role_valid"),
            models.CheckConstraint(
                condition=models.Q(override_reason__in=[*OverrideReason.values, ""]), name="allocation_override_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(override_reason__in=[OverrideReason.SUITABILITY, OverrideReason.OTHER])
                | ~models.Q(override_detail=""),
                name="allocation_override_detail_needed",
            ),
            models.CheckConstraint(
                condition=(models.Q(ended_at__isnull=True) & models.Q(end_trigger=""))
                | (models.Q(ended_at__isnull=False) & models.Q(end_trigger__in=EndTrigger.values)),
                name="allocation_end_has_trigger",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pom} – {self.get_role_display()} for {self.prisoner_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
