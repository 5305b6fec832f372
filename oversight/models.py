"""Management oversight records: the monthly sample of each POM's cases, the HOMD's audit of each sampled case against
the inspection's quality questions (omic-requirements.md 5.3, WF-19), and the actions agreed for the POM.

Why: the inspection found management oversight effective in under a quarter of cases (omic-requirements.md 4.1,
F-15) and no case-focused supervision.
"""

from django.conf import settings
from django.db import models

DEFAULT_SAMPLE_SIZE = 2
MAXIMUM_SAMPLE_SIZE = 10


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


# The inspection's quality questions (omic-requirements.md 5.3), in the words the audit form shows. The last one is
# the overall judgement.
QUESTIONS = (
    ("sufficient_contact", "Is the POM's contact with the person sufficient to support desistance and safety?"),
    ("risk_work", "Does the POM's work keep others safe (risk assessment, planning and risk management)?"),
    ("information_sharing", "Is information shared well with the COM, the key worker and partner agencies?"),
    ("handover_preparation", "Is the case being prepared for a timely and effective handover to the COM?"),
)
OVERALL = ("overall", "Overall, is the POM's management of this case sufficient?")
ANSWER_FIELDS = tuple(name for name, _ in QUESTIONS) + (OVERALL[0],)
SHORT_LABELS = {
    "sufficient_contact": "Sufficient contact",
    "risk_work": "Risk work",
    "information_sharing": "Information sharing",
    "handover_preparation": "Handover preparation",
    "overall": "Overall judgement",
}


def _answer_valid(name: str) -> models.Q:
    return models.Q(**{f"{name}__in": [*Answer.values, ""]})


class OversightSettings(models.Model):
    """How many of each POM's cases the HOMD audits each month at a prison. A prison with no row audits
    ``DEFAULT_SAMPLE_SIZE``."""

    prison = models.OneToOneField(
        "cases.Prison", on_delete=models.CASCADE, primary_key=True, related_name="oversight_settings"
    )
    sample_size = models.PositiveSmallIntegerField(
        "cases audited per POM each month", default=DEFAULT_SAMPLE_SIZE, help_text=f"From 1 to {MAXIMUM_SAMPLE_SIZE}."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "oversight settings"
        verbose_name_plural = "oversight settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sample_size__gte=1) & models.Q(sample_size__lte=MAXIMUM_SAMPLE_SIZE),
                name="oversight_sample_size_range",
            )
        ]

    def __str__(self) -> str:
        return f"Oversight settings for {self.prison_id}"


class OversightSample(models.Model):
    """The month's sample of one POM's cases at one prison. Drawn once: the unique constraint makes a second draw
    (by the monthly job or by the HOMD) a no-op. ``case_count`` is the POM's caseload the sample was drawn from."""

    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="oversight_samples")
    # CASCADE: the sample row is bookkeeping (the audits are the record), and it must not stop a POM profile going
    # once their cases and audits have gone (seed_demo --reset deletes prisoners, then the demo staff).
    pom = models.ForeignKey("cases.PomProfile", on_delete=models.CASCADE, related_name="oversight_samples")
    month = models.DateField(help_text="The first day of the month audited.")
    case_count = models.PositiveIntegerField("cases held when drawn")
    sample_size = models.PositiveSmallIntegerField("sample size when drawn")
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "oversight sample"
        ordering = ["-month", "prison", "pom"]
        constraints = [
            models.UniqueConstraint(fields=["prison", "pom", "month"], name="oversight_sample_one_per_month"),
            models.CheckConstraint(condition=models.Q(sample_size__gte=1), name="oversight_sample_size_positive"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="oversight_sample_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"Oversight sample of {self.pom_id} at {self.prison_id} for {self.month:%B %Y}"


class OversightAudit(models.Model):
    """The HOMD's audit of one case in one month, against the inspection's quality questions.

    Sampled audits belong to a sample; a case the HOMD adds by hand has none. ``pom`` is the POM whose work is
    audited: the case's primary POM when it was chosen, kept even if the case is reallocated later. Not audited
    until ``completed_at``; then every answer is given.
    """

    Answer = Answer
    QUESTIONS = QUESTIONS
    OVERALL = OVERALL

    prison = models.ForeignKey("cases.Prison", on_delete=models.CASCADE, related_name="oversight_audits")
    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="oversight_audits")
    pom = models.ForeignKey(
        "cases.PomProfile", verbose_name="POM", on_delete=models.PROTECT, related_name="oversight_audits"
    )
    month = models.DateField(help_text="The first day of the month audited.")
    sample = models.ForeignKey(OversightSample, on_delete=models.CASCADE, null=True, blank=True, related_name="audits")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField()
    sufficient_contact = models.CharField("sufficient contact", max_length=6, choices=Answer.choices, blank=True)
    sufficient_contact_notes = models.TextField(blank=True)
    risk_work = models.CharField("risk work", max_length=6, choices=Answer.choices, blank=True)
    risk_work_notes = models.TextField(blank=True)
    information_sharing = models.CharField("information sharing", max_length=6, choices=Answer.choices, blank=True)
    information_sharing_notes = models.TextField(blank=True)
    handover_preparation = models.CharField("handover preparation", max_length=6, choices=Answer.choices, blank=True)
    handover_preparation_notes = models.TextField(blank=True)
    overall = models.CharField("overall judgement", max_length=6, choices=Answer.choices, blank=True)
    overall_notes = models.TextField("summary for the POM", blank=True)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "oversight audit"
        ordering = ["-month", "prison", "pom", "prisoner"]
        indexes = [models.Index(fields=["prison", "month"], name="oversight_audit_month_idx")]
        constraints = [
            models.UniqueConstraint(fields=["prison", "prisoner", "month"], name="oversight_audit_once_a_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="oversight_audit_month_first_day"),
            *(models.CheckConstraint(condition=_answer_valid(n), name=f"oversight_{n}_valid") for n in ANSWER_FIELDS),
            models.CheckConstraint(
                condition=(models.Q(completed_at__isnull=True) & models.Q(**{n: "" for n in ANSWER_FIELDS}))
                | (
                    models.Q(completed_at__isnull=False)
                    & ~models.Q(sufficient_contact="")
                    & ~models.Q(risk_work="")
                    & ~models.Q(information_sharing="")
                    & ~models.Q(handover_preparation="")
                    & ~models.Q(overall="")
                ),
                name="oversight_audit_complete_has_every_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Oversight audit of {self.prisoner_id} at {self.prison_id} for {self.month:%B %Y}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def added_by_hand(self) -> bool:
        return self.sample_id is None

    def answers(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in ANSWER_FIELDS}


class OversightAction(models.Model):
    """An action the HOMD sets the POM after an audit, with a due date. The POM marks it done."""

    audit = models.ForeignKey(OversightAudit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("action for the POM")
    due_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "oversight action"
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(description=""), name="oversight_action_has_description"),
            models.CheckConstraint(
                condition=models.Q(done_by__isnull=True) | models.Q(done_at__isnull=False),
                name="oversight_action_done_by_needs_done_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Action due {self.due_date} on {self.audit}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
