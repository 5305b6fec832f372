from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change made through a service: who, when, what, to which case, before and after, and why.

    Rows are only ever added: the admin shows them read-only and no service updates or deletes them.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, help_text="Who or what made the change: a username, or a command or job name."
    )
    action = models.CharField(max_length=60, db_index=True)
    prisoner = models.ForeignKey(
        "cases.Prisoner", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    prison_number = models.CharField(max_length=7, blank=True, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["prison_number", "-created_at"], name="audit_prisoner_time_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id} by {self.actor_label}"
