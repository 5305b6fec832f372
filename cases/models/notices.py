from django.db import models


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Alert(models.Model):
    """Something on a case that needs a person to act, raised by an engine's job and resolved when it clears.

    `kind` is the engine's own code (for example `handover_upcoming` or `key_work_overdue`); each engine lists its
    kinds and their wording. At most one open alert of a kind per case.
    """

    Status = AlertStatus

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="alerts")
    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=255)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "raised_on", "id"]
        indexes = [models.Index(fields=["prison", "status", "kind"], name="alert_prison_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner", "kind"], condition=models.Q(status="open"), name="alert_one_open_per_kind"
            ),
            models.CheckConstraint(condition=models.Q(status__in=AlertStatus.values), name="alert_status_valid"),
            models.CheckConstraint(
                condition=(models.Q(status="open") & models.Q(resolved_on__isnull=True))
                | (models.Q(status="resolved") & models.Q(resolved_on__isnull=False)),
                name="alert_resolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.prisoner_id} ({self.status})"


class SentEmail(models.Model):
    """Every email the service sends, logged on the case (where there is one) for the timeline."""

    prisoner = models.ForeignKey(
        "cases.Prisoner", on_delete=models.SET_NULL, null=True, blank=True, related_name="sent_emails"
    )
    prison = models.ForeignKey("cases.Prison", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=40, db_index=True)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    sent_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["kind", "to", "-sent_at"], name="sent_email_kind_to_idx")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} at {self.sent_at:%Y-%m-%d %H:%M}"
