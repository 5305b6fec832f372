"""Key work: allocations of prisoners to key workers, with their history (one active per prisoner, D-14)."""

from django.conf import settings
from django.db import models

__all__ = ["AllocationType", "DeallocationReason", "KeyworkAllocation"]


class AllocationType(models.TextChoices):
    MANUAL = "manual", "Manual"
    AUTO = "auto", "Automatic"


class DeallocationReason(models.TextChoices):
    RELEASED = "released", "Released"
    TRANSFERRED = "transferred", "Transferred"
    STAFF_CHANGE = "staff_change", "Staff change"
    PRISONER_REQUEST = "prisoner_request", "Prisoner request"
    OTHER = "other", "Other"
    # Set by the service, never chosen on a form.
    KEY_WORKER_INACTIVE = "key_worker_inactive", "Key worker made inactive"
    NOT_ELIGIBLE = "not_eligible", "No longer eligible for key work"


# The reasons a person may choose when deallocating.
CHOSEN_REASONS = (
    DeallocationReason.RELEASED,
    DeallocationReason.TRANSFERRED,
    DeallocationReason.STAFF_CHANGE,
    DeallocationReason.PRISONER_REQUEST,
    DeallocationReason.OTHER,
)


class KeyworkAllocation(models.Model):
    """One key worker's allocation to one prisoner at a prison, from allocation until it ends. Ended rows are kept:
    they are the prisoner's key work history. The database allows one active allocation per prisoner.

    ``auto_allocated_at`` is set only on automatic allocations; auto-allocation puts the least recently
    auto-allocated key worker first (DECISIONS.md D-16).
    """

    Type = AllocationType
    Reason = DeallocationReason

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="keywork_allocations")
    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="keywork_allocations")
    key_worker = models.ForeignKey("keywork.KeyWorkerProfile", on_delete=models.PROTECT, related_name="allocations")
    allocation_type = models.CharField(max_length=6, choices=AllocationType.choices, default=AllocationType.MANUAL)
    allocated_at = models.DateTimeField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    auto_allocated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deallocation_reason = models.CharField(max_length=19, choices=DeallocationReason.choices, blank=True)
    deallocation_detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "key work allocation"
        ordering = ["-allocated_at", "-id"]
        indexes = [
            models.Index(fields=["key_worker", "ended_at"], name="kw_allocation_worker_idx"),
            models.Index(fields=["prison", "ended_at"], name="kw_allocation_prison_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner"], condition=models.Q(ended_at__isnull=True), name="kw_allocation_one_active"
            ),
            models.CheckConstraint(
                condition=models.Q(allocation_type__in=AllocationType.values), name="kw_allocation_type_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(allocation_type=AllocationType.AUTO) & models.Q(auto_allocated_at__isnull=False))
                | (~models.Q(allocation_type=AllocationType.AUTO) & models.Q(auto_allocated_at__isnull=True)),
                name="kw_allocation_auto_has_time",
            ),
            models.CheckConstraint(
                condition=(models.Q(ended_at__isnull=True) & models.Q(deallocation_reason=""))
                | (models.Q(ended_at__isnull=False) & models.Q(deallocation_reason__in=DeallocationReason.values)),
                name="kw_allocation_end_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(deallocation_reason=DeallocationReason.OTHER) | ~models.Q(deallocation_detail=""),
                name="kw_allocation_other_has_detail",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("allocated_at")),
                name="kw_allocation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_worker} for {self.prisoner_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
