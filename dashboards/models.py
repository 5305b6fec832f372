"""The daily snapshot of each prison's OMiC measures (issue #7: "a small trend history kept by a daily snapshot").

One row per prison and day, written (or replaced) by ``dashboards.national_services.measures_snapshot_record``.
The national comparison reads the latest row of each prison, and the trend reads the rows of the last weeks, so
the page costs the same whatever the estate's caseload. A figure with nothing to measure is NULL, never 0.
"""

from django.db import models
from django.db.models import Q


class PrisonMeasureSnapshot(models.Model):
    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="measure_snapshots")
    date = models.DateField(help_text="The day the figures are for.")
    refreshed_at = models.DateTimeField(help_text="When the figures were worked out.")
    prisoners = models.PositiveIntegerField(default=0)
    # Key work delivery: sessions held against the sessions the model projects, over the 4 weeks to ``date``.
    keywork_sessions = models.PositiveIntegerField(default=0)
    keywork_projected = models.PositiveIntegerField(default=0)
    keywork_delivery_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    # Handover meetings (PM-2, M-08): held within 4 weeks of the COM's allocation, of those due in the last 12 months.
    handover_meetings_due = models.PositiveIntegerField(default=0)
    handover_meetings_on_time = models.PositiveIntegerField(default=0)
    handover_meeting_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    oasys_overdue = models.PositiveIntegerField("OASys overdue", default=0)
    unallocated = models.PositiveIntegerField("unallocated (to allocate)", default=0)
    unallocated_median_wait_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    missing_details = models.PositiveIntegerField(default=0)
    poms = models.PositiveIntegerField("POMs with cases or active", default=0)
    pom_fte = models.DecimalField("POM FTE", max_digits=7, decimal_places=1, default=0)
    load_per_fte_median = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    load_per_fte_max = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    poms_over_capacity = models.PositiveIntegerField(default=0)
    com_allocation_overdue = models.PositiveIntegerField("COM allocation overdue", default=0)

    class Meta:
        ordering = ["-date", "prison"]
        get_latest_by = "date"
        indexes = [models.Index(fields=["prison", "-date"], name="measure_snapshot_prison_date")]
        constraints = [
            models.UniqueConstraint(fields=["prison", "date"], name="measure_snapshot_once_a_day"),
            models.CheckConstraint(
                condition=Q(keywork_delivery_percent__isnull=True) | Q(keywork_delivery_percent__gte=0),
                name="measure_snapshot_keywork_percent_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(handover_meeting_percent__isnull=True)
                | Q(handover_meeting_percent__gte=0, handover_meeting_percent__lte=100),
                name="measure_snapshot_meeting_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(handover_meetings_on_time__lte=models.F("handover_meetings_due")),
                name="measure_snapshot_meetings_on_time_within_due",
            ),
            models.CheckConstraint(condition=Q(pom_fte__gte=0), name="measure_snapshot_fte_not_negative"),
            models.CheckConstraint(
                condition=Q(poms_over_capacity__lte=models.F("poms")), name="measure_snapshot_over_capacity_within_poms"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prison_id} measures on {self.date}"
