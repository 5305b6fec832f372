from django.conf import settings
from django.db import connections, models, transaction

from omic.request_id import current_request_id

# The retention purge is the one path allowed to delete audit rows. On PostgreSQL the audit_event_append_only trigger
# (migration 0006) refuses every UPDATE and every DELETE unless this setting is on for the transaction.
PURGE_SETTING = "omic.audit_purge"


class AuditEventImmutable(Exception):
    """Raised when code tries to change or delete an audit row: the trail is append-only."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEventImmutable("Audit events cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEventImmutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditEventImmutable("Audit events cannot be deleted; only the retention purge removes old ones.")

    def purge(self) -> int:
        """Delete these rows: only for the retention purge (cases.audit.audit_purge) and benchmarks' clean-up."""
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return self._raw_delete(self.db)
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])  # SET LOCAL
            try:
                return self._raw_delete(self.db)
            finally:  # off again at once: inside a caller's transaction SET LOCAL would outlive this block
                cursor.execute("SELECT set_config(%s, 'off', true)", [PURGE_SETTING])


class AuditEvent(models.Model):
    """One change made through a service: who, when, what, to which case, before and after, and why.

    Rows are only ever added: ``save()`` refuses to change a stored row, ``delete()`` and the query set's ``update()``
    and ``delete()`` refuse, the admin is read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE. The
    retention purge (``AuditEvent.objects.filter(...).purge()``) is the one named way old rows are removed.
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
    request_id = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        default=current_request_id,
        help_text="The X-Request-ID of the web request that made the change (or queued the job); blank for jobs.",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["prison_number", "-created_at"], name="audit_prisoner_time_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id} by {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEventImmutable("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutable("Audit events cannot be deleted; only the retention purge removes old ones.")
