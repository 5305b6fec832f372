"""Key work: each prison's key work standard (DECISIONS.md D-14)."""

from django.conf import settings
from django.db import models

__all__ = ["KeyworkConfiguration"]

DEFAULT_FREQUENCY_WEEKS = 1
DEFAULT_SESSION_MINUTES = 45
DEFAULT_TARGET_CASELOAD = 6
DEFAULT_MAXIMUM_CASELOAD = 9


class KeyworkConfiguration(models.Model):
    """A prison's key work standard. A prison with no row uses the defaults (``keywork.selectors``): key work on,
    except in the male open estate; auto-allocation not allowed; weekly 45-minute sessions; caseload 6, maximum 9.
    """

    prison = models.OneToOneField(
        "cases.Prison", on_delete=models.CASCADE, primary_key=True, related_name="keywork_configuration"
    )
    is_enabled = models.BooleanField("key work is delivered here", default=True)
    allow_auto_allocation = models.BooleanField("auto-allocation allowed", default=False)
    frequency_weeks = models.PositiveSmallIntegerField(
        "session frequency in weeks",
        default=DEFAULT_FREQUENCY_WEEKS,
        help_text="1 for weekly sessions; 2 for longer fortnightly sessions (with the Prison Group Director's "
        "approval).",
    )
    session_minutes = models.PositiveSmallIntegerField("session length in minutes", default=DEFAULT_SESSION_MINUTES)
    target_caseload = models.PositiveSmallIntegerField(
        "target caseload per key worker", default=DEFAULT_TARGET_CASELOAD
    )
    maximum_caseload = models.PositiveSmallIntegerField(
        "maximum caseload per key worker", default=DEFAULT_MAXIMUM_CASELOAD
    )
    fortnightly_approval = models.CharField(
        "Prison Group Director approval for fortnightly sessions",
        max_length=200,
        blank=True,
        help_text="Who approved fortnightly sessions, and when.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "key work configuration"
        constraints = [
            models.CheckConstraint(condition=models.Q(frequency_weeks__in=[1, 2]), name="kw_config_frequency_1_or_2"),
            models.CheckConstraint(
                condition=models.Q(session_minutes__gte=15) & models.Q(session_minutes__lte=180),
                name="kw_config_session_15_to_180",
            ),
            models.CheckConstraint(condition=models.Q(target_caseload__gte=1), name="kw_config_target_at_least_1"),
            models.CheckConstraint(
                condition=models.Q(maximum_caseload__gte=models.F("target_caseload"))
                & models.Q(maximum_caseload__lte=50),
                name="kw_config_maximum_not_below_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Key work configuration for {self.prison_id}"
