"""Key work recording around the sessions: POM–key worker contact entries, progression plans and their goals, and
the monthly quality checks of key workers' entries (issue #5 "Recording" and "Quality checks")."""

from django.conf import settings
from django.db import models

__all__ = [
    "GoalProgress",
    "GoalStatus",
    "PomContact",
    "ProgressionGoal",
    "ProgressionPlan",
    "ProgressionPlanStatus",
    "QualityAnswer",
    "QualityCheck",
    "QualityCheckSettings",
    "QualitySample",
]

DEFAULT_SAMPLE_SIZE = 3
MAXIMUM_SAMPLE_SIZE = 20


class PomContact(models.Model):
    """A record that the POM and the key worker discussed a case (the "contact entry" HMPPS promised, WF-07).

    ``prison`` is where the contact was recorded, so it stays visible there if the prisoner moves on.
    """

    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="keywork_pom_contacts")
    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="keywork_pom_contacts")
    contact_date = models.DateField("date of the contact")
    pom = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="POM", on_delete=models.PROTECT, related_name="keywork_pom_contacts"
    )
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="keywork_key_worker_contacts"
    )
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "POM–key worker contact"
        ordering = ["-contact_date", "-id"]
        indexes = [models.Index(fields=["prisoner", "-contact_date"], name="kw_contact_prisoner_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(pom=models.F("key_worker")), name="kw_contact_two_people"),
            models.CheckConstraint(condition=~models.Q(summary=""), name="kw_contact_has_summary"),
        ]

    def __str__(self) -> str:
        return f"POM–key worker contact about {self.prisoner_id} on {self.contact_date}"


class ProgressionPlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ProgressionPlan(models.Model):
    """A prisoner's voluntary progression plan: goals they own, reviewed in key work sessions (KW-13).

    It does not replace a sentence plan: a prisoner with a formal sentence plan may have one only if their POM agreed.
    The database refuses the plan otherwise. One active plan per prisoner.
    """

    Status = ProgressionPlanStatus

    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="keywork_progression_plans")
    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="keywork_progression_plans")
    status = models.CharField(max_length=6, choices=ProgressionPlanStatus.choices, default=ProgressionPlanStatus.ACTIVE)
    has_sentence_plan = models.BooleanField("the prisoner has a formal sentence plan")
    pom_agreed = models.BooleanField("the POM agreed to this plan", default=False)
    agreed_by_pom = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="POM who agreed",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "progression plan"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner"], condition=models.Q(status="active"), name="kw_plan_one_active"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProgressionPlanStatus.values), name="kw_plan_status_valid"
            ),
            # KW-13: "must not be in place for those prisoners with formal sentence plans unless they have been
            # agreed with the Prison Offender Manager".
            models.CheckConstraint(
                condition=models.Q(has_sentence_plan=False) | models.Q(pom_agreed=True),
                name="kw_plan_sentence_plan_needs_pom",
            ),
            models.CheckConstraint(
                condition=models.Q(pom_agreed=False) | models.Q(agreed_by_pom__isnull=False),
                name="kw_plan_agreement_names_pom",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="active") & models.Q(closed_on__isnull=True))
                | (models.Q(status="closed") & models.Q(closed_on__isnull=False)),
                name="kw_plan_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Progression plan for {self.prisoner_id} ({self.status})"


class GoalStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    STOPPED = "stopped", "No longer a goal"


class ProgressionGoal(models.Model):
    """One goal of a progression plan, with the date the prisoner aims to reach it."""

    Status = GoalStatus

    plan = models.ForeignKey(ProgressionPlan, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(max_length=300)
    target_date = models.DateField()
    status = models.CharField(max_length=11, choices=GoalStatus.choices, default=GoalStatus.IN_PROGRESS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "progression plan goal"
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=GoalStatus.values), name="kw_goal_status_valid"),
            models.CheckConstraint(condition=~models.Q(description=""), name="kw_goal_has_description"),
        ]

    def __str__(self) -> str:
        return self.description


class GoalProgress(models.Model):
    """Progress towards a goal, noted when it was reviewed (usually in a key work session)."""

    goal = models.ForeignKey(ProgressionGoal, on_delete=models.CASCADE, related_name="progress")
    session = models.ForeignKey(
        "keywork.KeyworkSession", on_delete=models.SET_NULL, null=True, blank=True, related_name="goal_progress"
    )
    noted_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "progress towards a goal"
        verbose_name_plural = "progress towards goals"
        ordering = ["-noted_on", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(note=""), name="kw_progress_has_note")]

    def __str__(self) -> str:
        return f"Progress on goal {self.goal_id} on {self.noted_on}"


class QualityCheckSettings(models.Model):
    """How many of each key worker's entries a prison samples for quality checks each month.

    A prison with no row samples ``DEFAULT_SAMPLE_SIZE``.
    """

    prison = models.OneToOneField(
        "cases.Prison", on_delete=models.CASCADE, primary_key=True, related_name="keywork_quality_settings"
    )
    sample_size = models.PositiveSmallIntegerField(
        "entries sampled per key worker each month",
        default=DEFAULT_SAMPLE_SIZE,
        help_text=f"From 1 to {MAXIMUM_SAMPLE_SIZE}.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "key work quality check settings"
        verbose_name_plural = "key work quality check settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sample_size__gte=1) & models.Q(sample_size__lte=MAXIMUM_SAMPLE_SIZE),
                name="kw_quality_sample_size_range",
            )
        ]

    def __str__(self) -> str:
        return f"Quality check settings for {self.prison_id}"


class QualitySample(models.Model):
    """The random sample of one key worker's entries for one month at one prison. Drawn once: the unique
    constraint makes a second draw (by hand or by the monthly job) a no-op."""

    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="keywork_quality_samples")
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="keywork_quality_samples"
    )
    month = models.DateField(help_text="The first day of the month sampled.")
    entry_count = models.PositiveIntegerField("entries made in the month")
    sample_size = models.PositiveSmallIntegerField("sample size when drawn")
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "key work quality sample"
        ordering = ["-month", "prison", "key_worker__last_name", "key_worker__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["prison", "key_worker", "month"], name="kw_sample_one_per_month"),
            models.CheckConstraint(condition=models.Q(sample_size__gte=1), name="kw_sample_size_positive"),
        ]

    def __str__(self) -> str:
        return f"Quality sample of {self.key_worker_id} at {self.prison_id} for {self.month:%B %Y}"


class QualityAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class QualityCheck(models.Model):
    """One sampled entry, rated against the checklist by a custodial manager or the HOMS, with feedback the key
    worker sees on their page. Unrated until ``rated_at``; then every checklist answer is given."""

    Answer = QualityAnswer
    CHECKLIST = (
        ("links_to_plan", "Links to the sentence plan or progression plan"),
        ("clear_next_step", "Gives a clear next step"),
        ("risk_information_passed", "Risk information is passed to the OMU"),
    )

    sample = models.ForeignKey(QualitySample, on_delete=models.CASCADE, related_name="checks")
    session = models.OneToOneField(
        "keywork.KeyworkSession", on_delete=models.CASCADE, related_name="quality_check", verbose_name="entry"
    )
    links_to_plan = models.CharField(
        "it links to the sentence plan or progression plan", max_length=14, choices=QualityAnswer.choices, blank=True
    )
    clear_next_step = models.CharField(
        "there is a clear next step", max_length=14, choices=QualityAnswer.choices, blank=True
    )
    risk_information_passed = models.CharField(
        "risk information is passed to the OMU", max_length=14, choices=QualityAnswer.choices, blank=True
    )
    feedback = models.TextField("feedback for the key worker", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    seen_by_key_worker_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "key work quality check"
        ordering = ["sample", "session__session_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(rated_at__isnull=True)
                    & models.Q(links_to_plan="")
                    & models.Q(clear_next_step="")
                    & models.Q(risk_information_passed="")
                )
                | (
                    models.Q(rated_at__isnull=False)
                    & models.Q(links_to_plan__in=QualityAnswer.values)
                    & models.Q(clear_next_step__in=QualityAnswer.values)
                    & models.Q(risk_information_passed__in=QualityAnswer.values)
                ),
                name="kw_check_rated_has_answers",
            ),
            models.CheckConstraint(
                condition=models.Q(seen_by_key_worker_at__isnull=True) | models.Q(rated_at__isnull=False),
                name="kw_check_seen_after_rated",
            ),
        ]

    def __str__(self) -> str:
        return f"Quality check of entry {self.session_id}"

    @property
    def is_rated(self) -> bool:
        return self.rated_at is not None

    @property
    def meets_checklist(self) -> bool:
        """Every item answered yes or not applicable."""
        return self.is_rated and all(getattr(self, name) != QualityAnswer.NO for name, _ in self.CHECKLIST)
