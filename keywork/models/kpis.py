"""Key work: daily KPI snapshots, per prison and per key worker, so past periods are reported without recomputing
(keywork-tier-reference.md 1.6, DECISIONS.md D-15)."""

from django.db import models

__all__ = ["KeyworkerDailyStat", "PrisonKeyworkDailyStat"]


class PrisonKeyworkDailyStat(models.Model):
    """A prison's key work figures at the end of one day. One row per prison and day; a re-run replaces it."""

    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="keywork_daily_stats")
    date = models.DateField()
    prisoner_count = models.PositiveIntegerField()
    high_complexity_count = models.PositiveIntegerField()
    eligible_count = models.PositiveIntegerField()
    assigned_count = models.PositiveIntegerField("eligible prisoners with a key worker")
    active_key_worker_count = models.PositiveIntegerField()
    session_count = models.PositiveIntegerField("sessions held on the day")
    entry_count = models.PositiveIntegerField("entries on the day")
    session_minutes = models.PositiveIntegerField("minutes of the sessions held on the day")
    frequency_weeks = models.PositiveSmallIntegerField()
    reception_to_allocation_days = models.PositiveIntegerField(null=True, blank=True)
    reception_to_session_days = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "prison key work daily figures"
        verbose_name_plural = "prison key work daily figures"
        ordering = ["prison", "date"]
        constraints = [
            models.UniqueConstraint(fields=["prison", "date"], name="kw_prison_stat_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(eligible_count__lte=models.F("prisoner_count"))
                & models.Q(assigned_count__lte=models.F("eligible_count")),
                name="kw_prison_stat_counts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"Key work figures for {self.prison_id} on {self.date}"


class KeyworkerDailyStat(models.Model):
    """A key worker's caseload and sessions on one day."""

    key_worker = models.ForeignKey("keywork.KeyWorkerProfile", on_delete=models.CASCADE, related_name="daily_stats")
    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    status = models.CharField(max_length=19)
    allocated_count = models.PositiveIntegerField()
    session_count = models.PositiveIntegerField()
    entry_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "key worker daily figures"
        verbose_name_plural = "key worker daily figures"
        ordering = ["key_worker", "date"]
        indexes = [models.Index(fields=["prison", "date"], name="kw_worker_stat_prison_idx")]
        constraints = [models.UniqueConstraint(fields=["key_worker", "date"], name="kw_worker_stat_one_per_day")]

    def __str__(self) -> str:
        return f"Key work figures for {self.key_worker_id} on {self.date}"
