"""Key work: key worker profiles: status, return date, capacity override and auto-allocation opt-in."""

from django.conf import settings
from django.db import models

__all__ = ["KeyWorkerProfile", "KeyWorkerStatus"]


class KeyWorkerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ANNUAL_LEAVE = "annual_leave", "Unavailable: annual leave"
    LONG_TERM_ABSENCE = "long_term_absence", "Unavailable: long-term absence"
    NO_PRISONER_CONTACT = "no_prisoner_contact", "Unavailable: no prisoner contact"
    INACTIVE = "inactive", "Inactive"


class KeyWorkerProfile(models.Model):
    """A prison officer who does key work at one prison. Only an active key worker can be allocated prisoners;
    auto-allocation also needs ``allow_auto_allocation``. Their capacity is ``capacity`` if set, else the prison's
    target caseload (keywork-tier-reference.md 1.2)."""

    Status = KeyWorkerStatus

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="key_worker_profiles")
    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="key_worker_profiles")
    status = models.CharField(max_length=19, choices=KeyWorkerStatus.choices, default=KeyWorkerStatus.ACTIVE)
    return_date = models.DateField(
        "return from annual leave", null=True, blank=True, help_text="They become active again on this day."
    )
    capacity = models.PositiveSmallIntegerField(
        "capacity override",
        null=True,
        blank=True,
        help_text="Leave blank to use the prison's target caseload.",
    )
    allow_auto_allocation = models.BooleanField("takes auto-allocation", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "key worker profile"
        ordering = ["prison", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "prison"], name="kw_profile_one_per_prison"),
            models.CheckConstraint(
                condition=models.Q(status__in=KeyWorkerStatus.values), name="kw_profile_status_valid"
            ),
            # A return date belongs to annual leave, and annual leave always has one.
            models.CheckConstraint(
                condition=(models.Q(status=KeyWorkerStatus.ANNUAL_LEAVE) & models.Q(return_date__isnull=False))
                | (~models.Q(status=KeyWorkerStatus.ANNUAL_LEAVE) & models.Q(return_date__isnull=True)),
                name="kw_profile_leave_has_return_date",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | (models.Q(capacity__gte=1) & models.Q(capacity__lte=50)),
                name="kw_profile_capacity_1_to_50",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.prison_id})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_active(self) -> bool:
        return self.status == KeyWorkerStatus.ACTIVE
