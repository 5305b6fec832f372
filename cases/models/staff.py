from decimal import Decimal

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """The staff roles (DECISIONS.md D-17). Each is a Django group of the same name."""

    POM = "pom", "Prison Offender Manager (POM)"
    HOMD = "homd", "Head of Offender Management Delivery (HOMD/SPO)"
    HOMS = "homs", "Head of Offender Management Services (HOMS)"
    CASE_ADMIN = "case_admin", "Case administrator"
    KEY_WORKER = "key_worker", "Key worker"
    NATIONAL_VIEWER = "national_viewer", "Regional or national viewer"
    SERVICE_ADMIN = "service_admin", "Service admin"


# Roles that work inside prisons; the other two (national viewer, service admin) see aggregates or run the service.
PRISON_ROLES = (Role.POM, Role.HOMD, Role.HOMS, Role.CASE_ADMIN, Role.KEY_WORKER)


class StaffProfile(models.Model):
    """A member of staff: the prisons they work in. Their roles are the groups of their user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    prisons = models.ManyToManyField("cases.Prison", blank=True, related_name="staff")
    job_title = models.CharField(max_length=80, blank=True)
    # The identity provider's ``sub`` for a user who signs on by OIDC (cases/oidc.py): sign-on matches on it, never
    # on the username. Blank for local accounts; unique when set.
    oidc_subject = models.CharField("single sign-on subject", max_length=255, blank=True, default="")

    class Meta:
        verbose_name = "staff profile"
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_subject"], condition=~models.Q(oidc_subject=""), name="staff_profile_oidc_subject_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class PomType(models.TextChoices):
    PROBATION = "probation", "Probation POM"
    PRISON = "prison", "Prison POM"


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    UNAVAILABLE = "unavailable", "Unavailable for new cases"
    AWAY = "away", "Away from work"


class PomProfile(models.Model):
    """A POM's record at one prison: type, working pattern (FTE) and status."""

    PomType = PomType
    Status = Status
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pom_profiles")
    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="pom_profiles")
    pom_type = models.CharField("POM type", max_length=9, choices=PomType.choices)
    working_pattern = models.DecimalField(
        "working pattern (FTE)",
        max_digits=2,
        decimal_places=1,
        default=Decimal("1.0"),
        help_text="Full time is 1.0 (37.5 hours a week); part time is 0.1 to 0.9.",
    )
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = "POM profile"
        ordering = ["prison", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "prison"], name="pom_profile_one_per_prison"),
            models.CheckConstraint(condition=models.Q(pom_type__in=PomType.values), name="pom_profile_type_valid"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="pom_profile_status_valid"),
            models.CheckConstraint(
                condition=models.Q(working_pattern__gte=Decimal("0.1")) & models.Q(working_pattern__lte=Decimal("1.0")),
                name="pom_profile_fte_0_1_to_1_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.get_pom_type_display()}, {self.prison_id})"


class CommunityOffenderManager(models.Model):
    """A COM: a probation practitioner in the community. A record, not necessarily a user of this service."""

    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    local_delivery_unit = models.ForeignKey(
        "cases.LocalDeliveryUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="coms"
    )

    class Meta:
        verbose_name = "community offender manager (COM)"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~models.Q(email=""), name="com_email_unique"),
        ]

    def __str__(self) -> str:
        return self.name
