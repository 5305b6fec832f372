"""Key work: sessions, attempted sessions and entries recorded by key workers (issue #5 "Recording")."""

from django.conf import settings
from django.db import models

__all__ = ["KeyworkSession", "SessionType"]


class SessionType(models.TextChoices):
    SESSION = "session", "Key work session"
    ATTEMPTED = "attempted", "Attempted session"
    ENTRY = "entry", "Key work entry"


class KeyworkSession(models.Model):
    """One key work contact with a prisoner: a session held, a session attempted, or an entry (a note that is not a
    session). Only sessions count towards compliance (keywork-tier-reference.md 1.6).

    ``prison`` is where it happened, so a prisoner who moves on keeps their sessions counted where they were held.
    A sensitive note is shown only to OMU staff and the prisoner's POM.
    """

    Type = SessionType

    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="keywork_sessions")
    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="keywork_sessions")
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="keywork_sessions_held"
    )
    session_date = models.DateField("date")
    session_type = models.CharField("type", max_length=9, choices=SessionType.choices, default=SessionType.SESSION)
    duration_minutes = models.PositiveSmallIntegerField(
        "duration in minutes", null=True, blank=True, help_text="Blank for an entry that is not a session."
    )
    notes = models.TextField(blank=True)
    is_sensitive = models.BooleanField(
        "sensitive", default=False, help_text="Only OMU staff and the prisoner's POM can read a sensitive note."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "key work session"
        ordering = ["-session_date", "-id"]
        indexes = [
            models.Index(fields=["prison", "session_date"], name="kw_session_prison_date_idx"),
            models.Index(fields=["key_worker", "session_date"], name="kw_session_worker_date_idx"),
            models.Index(fields=["prisoner", "-session_date"], name="kw_session_prisoner_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session_type__in=SessionType.values), name="kw_session_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__isnull=True)
                | (models.Q(duration_minutes__gte=1) & models.Q(duration_minutes__lte=480)),
                name="kw_session_duration_1_to_480",
            ),
            # A session held has a length; an entry or an attempt may not.
            models.CheckConstraint(
                condition=~models.Q(session_type=SessionType.SESSION) | models.Q(duration_minutes__isnull=False),
                name="kw_session_held_has_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_session_type_display()} with {self.prisoner_id} on {self.session_date}"
