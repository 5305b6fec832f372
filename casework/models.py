"""Casework records: each case's tasks with their timescales (D-12), and recall placement decisions.

Early allocation assessments and parole reviews are records the handover engine reads, so they live in
``cases.models.casework``; this app owns the journeys that write them.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.calculations.tasks import TIMESCALE_KEYS, TIMESCALE_LABELS


class TaskKind(models.TextChoices):
    """The kinds of task the task engine derives (DECISIONS.md D-12; omic-requirements.md 2.6, 2.7, 2.12, 2.13)."""

    INITIAL_OASYS = "initial_oasys", "Complete the initial OASys"
    OASYS_REVIEW = "oasys_review", "Review the OASys"
    PRE_HANDOVER_OASYS = "pre_handover_oasys", "Review the OASys before the COM is allocated"
    LISP1 = "lisp1", "Complete the LISP1"
    EARLY_ALLOCATION_SCREENING = "early_allocation_screening", "Screen for early allocation"
    EARLY_ALLOCATION_REVIEW = "early_allocation_review", "Review early allocation before release"
    RECALL_MEETING = "recall_meeting", "Meet the recalled prisoner"
    POST_RECALL_MEETING = "post_recall_meeting", "Hold the post-recall meeting"
    YOUTH_TRANSFER_MEETING = "youth_transfer_meeting", "Hold the youth transfer meeting"
    HANDOVER_MEETING = "handover_meeting", "Hold the handover meeting"
    PAROLE_OUTCOME = "parole_outcome", "Record the date the parole outcome was received"
    COMMUNITY_DECISION = "community_decision", "Record the community's early allocation decision"


class TaskStatus(models.TextChoices):
    """Overdue is not stored: it is a due task whose due date has passed (a selector derives it from "today")."""

    DUE = "due", "Due"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "Not needed"


class TaskOwner(models.TextChoices):
    POM = "pom", "POM"
    COM = "com", "COM"


class CaseTask(models.Model):
    """One task on one case, derived by the task engine from the case's facts.

    ``occurrence`` tells repeated tasks apart (for example the due date of each OASys review, or a recall's return
    date), so recomputing finds the same row again. Recomputing moves or withdraws open tasks; a task that is done or
    not needed is never changed or lost.
    """

    Kind = TaskKind
    Status = TaskStatus
    Owner = TaskOwner

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="case_tasks")
    kind = models.CharField(max_length=30, choices=TaskKind.choices)
    occurrence = models.CharField(max_length=40, blank=True)
    owner = models.CharField(max_length=3, choices=TaskOwner.choices, default=TaskOwner.POM)
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.DUE)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    not_needed_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Saves through the services (done, not needed) are recorded; the bulk recompute's rows are not (bulk writes).
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "kind", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="case_task_status_due_idx")]
        constraints = [
            models.UniqueConstraint(fields=["prisoner", "kind", "occurrence"], name="case_task_once_per_occurrence"),
            models.CheckConstraint(condition=models.Q(kind__in=TaskKind.values), name="case_task_kind_valid"),
            models.CheckConstraint(condition=models.Q(owner__in=TaskOwner.values), name="case_task_owner_valid"),
            models.CheckConstraint(
                condition=(models.Q(status=TaskStatus.DONE) & models.Q(completed_on__isnull=False))
                | (~models.Q(status=TaskStatus.DONE) & models.Q(completed_on__isnull=True)),
                name="case_task_done_is_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=TaskStatus.NOT_NEEDED) | ~models.Q(not_needed_reason=""),
                name="case_task_not_needed_has_reason",
            ),
            models.CheckConstraint(condition=models.Q(status__in=TaskStatus.values), name="case_task_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.prisoner_id} by {self.due_date}"


class TimescaleUnit(models.TextChoices):
    HOURS = "hours", "hours"
    DAYS = "days", "days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"
    YEARS = "years", "years"


class TaskTimescale(models.Model):
    """A service admin's change to one task timescale (DECISIONS.md D-12). A timescale with no row has its D-12
    default (``casework.calculations.tasks.Timescales``); changing one recomputes every case's open tasks."""

    Unit = TimescaleUnit

    key = models.CharField(max_length=40, primary_key=True, choices=[(k, TIMESCALE_LABELS[k]) for k in TIMESCALE_KEYS])
    amount = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=6, choices=TimescaleUnit.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=models.Q(key__in=TIMESCALE_KEYS), name="task_timescale_key_valid"),
            models.CheckConstraint(condition=models.Q(amount__gte=1), name="task_timescale_amount_positive"),
            models.CheckConstraint(condition=models.Q(unit__in=TimescaleUnit.values), name="task_timescale_unit_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.amount} {self.unit}"


class RecallPlacement(models.TextChoices):
    RECEPTION = "reception", "Stay at a reception prison"
    RESETTLEMENT = "resettlement", "Move to a resettlement prison"
    TRAINING = "training", "Move to a training prison"


class RecallPlacementDecision(models.Model):
    """The placement suggested for a recall, and the HOMD's override of it with a reason (omic-requirements 2.12).

    Fixed-term recalls stay at a reception prison; standard recalls go to resettlement with under 24 months left to
    sentence expiry, or to training with more. One row per recall (``recall_started_on``).
    """

    Placement = RecallPlacement

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="recall_placements")
    recall_started_on = models.DateField(help_text="The date the recalled prisoner returned to custody.")
    suggested = models.CharField(max_length=12, choices=RecallPlacement.choices)
    chosen = models.CharField(max_length=12, choices=RecallPlacement.choices)
    override_reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["prisoner", "recall_started_on"], name="recall_placement_once_per_recall"),
            models.CheckConstraint(
                condition=models.Q(chosen=models.F("suggested")) | ~models.Q(override_reason=""),
                name="recall_placement_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Recall placement for {self.prisoner_id}: {self.chosen}"
