"""The shared outbox of queued jobs the broker refused (``omic.queueing``), caught up by ``jobs_catch_up``."""

from django.db import models


class PendingJob(models.Model):
    """One Celery job that could not be queued because the broker was unreachable.

    ``key`` is unique per task and arguments, so a case changed ten times while the broker is down is caught up once.
    ``jobs_catch_up`` claims a row (``claimed_at``, ``attempts``; committed), runs the job outside any transaction,
    then deletes the row; a failure keeps it with the error and releases the claim.
    """

    key = models.CharField(max_length=64, unique=True)
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # a catch-up is running it (stale after CLAIM_SECONDS)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
