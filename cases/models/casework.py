"""Casework records that feed the handover rules: early allocation assessments and parole reviews.

They live with the records (not in the casework engine) because the handover engine reads them
(manage-pom-cases-reference.md 3.4): the target hearing date and latest parole outcome come from the parole
reviews, and "early allocation" from the latest assessment. The casework app owns the journeys that write them.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class EarlyAllocationOutcome(models.TextChoices):
    ELIGIBLE = "eligible", "Automatically eligible"
    DISCRETIONARY = "discretionary", "Discretionary: the community decides"
    INELIGIBLE = "ineligible", "Not eligible"


class EarlyAllocation(models.Model):
    """One early allocation assessment of a case (the latest one made on or after the sentence start counts).

    Statutory questions: any "yes" makes the case automatically eligible. When all are "no", the discretionary
    questions give "ineligible" or "discretionary"; a discretionary case needs a reason and the HOMD's approval,
    then a community decision (yes or no, with the date) from the LDU.
    """

    Outcome = EarlyAllocationOutcome
    STATUTORY = (
        "convicted_under_terrorism_act_2000",
        "high_profile",
        "serious_crime_prevention_order",
        "mappa_level_3",
        "cppc_case",
    )
    DISCRETIONARY = (
        "high_risk_of_serious_harm",
        "mappa_level_2",
        "extremism_screening",
        "other_reason",
        "extremism_separation",
        "due_for_release_in_less_than_24months",
    )

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="early_allocations")
    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="+")
    oasys_risk_assessment_date = models.DateField("date of the latest OASys risk assessment")
    # Statutory: any yes means automatically eligible.
    convicted_under_terrorism_act_2000 = models.BooleanField("convicted of an offence under the Terrorism Act 2000")
    high_profile = models.BooleanField("identified as high profile")
    serious_crime_prevention_order = models.BooleanField("subject to a serious crime prevention order")
    mappa_level_3 = models.BooleanField("managed at MAPPA level 3")
    cppc_case = models.BooleanField("a Critical Public Protection Case")
    # Discretionary: asked only when every statutory answer is no (null = not asked).
    high_risk_of_serious_harm = models.BooleanField("assessed as very high risk of serious harm", null=True)
    mappa_level_2 = models.BooleanField("managed at MAPPA level 2 in exceptional circumstances", null=True)
    extremism_screening = models.BooleanField("identified through extremism screening", null=True)
    other_reason = models.BooleanField("another reason", null=True)
    extremism_separation = models.BooleanField("held in a separation centre", null=True)
    due_for_release_in_less_than_24months = models.BooleanField("due for release within 24 months", null=True)
    reason = models.TextField("reason for a discretionary referral", blank=True)
    approved = models.BooleanField("approved by the head of offender management delivery", default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=13, choices=EarlyAllocationOutcome.choices)
    created_within_referral_window = models.BooleanField(
        help_text="Made when the earliest of TED, PED, THD, ARD and CRD was no more than 18 months away."
    )
    referral_sent_at = models.DateTimeField(null=True, blank=True)
    community_decision = models.BooleanField(null=True, blank=True)
    community_decision_date = models.DateField(null=True, blank=True)
    community_decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["prisoner", "-created_at"], name="early_allocation_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=EarlyAllocationOutcome.values), name="early_allocation_outcome_valid"
            ),
            # A community decision is a dated yes or no; no date without a decision.
            models.CheckConstraint(
                condition=models.Q(community_decision__isnull=True, community_decision_date__isnull=True)
                | models.Q(community_decision__isnull=False, community_decision_date__isnull=False),
                name="early_allocation_decision_dated",
            ),
            # Discretionary needs a reason.
            models.CheckConstraint(
                condition=~models.Q(outcome=EarlyAllocationOutcome.DISCRETIONARY) | ~models.Q(reason=""),
                name="early_allocation_discretionary_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Early allocation assessment of {self.prisoner_id} ({self.outcome})"

    @property
    def qualifies(self) -> bool:
        """Feeds the handover rules: made in the window, and eligible or the community said yes."""
        return self.created_within_referral_window and (
            self.outcome == EarlyAllocationOutcome.ELIGIBLE or self.community_decision is True
        )


class ParoleReview(models.Model):
    """One parole review of a case (PPUD): target hearing date, type, status and the hearing outcome.

    A review is *completed* when its outcome is set (not blank, "Not Applicable" or "Not Specified") or the date the
    outcome was received is set. An outcome starting "Release" is a release; any other completed outcome is not.
    """

    NOT_AN_OUTCOME = ("", "not applicable", "not specified")

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="parole_reviews")
    review_id = models.CharField(
        "review id", max_length=40, blank=True, help_text="The parole system's id for the review, where it has one."
    )
    target_hearing_date = models.DateField("target hearing date (THD)", null=True, blank=True)
    custody_report_due = models.DateField("custody report due", null=True, blank=True)
    review_type = models.CharField(max_length=80, blank=True)
    review_status = models.CharField(max_length=80, blank=True)
    hearing_outcome = models.CharField(max_length=120, blank=True)
    hearing_outcome_received_on = models.DateField("hearing outcome received on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-target_hearing_date", "-id"]
        indexes = [models.Index(fields=["prisoner", "target_hearing_date"], name="parole_review_case_thd_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["review_id"], condition=~models.Q(review_id=""), name="parole_review_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Parole review of {self.prisoner_id} (THD {self.target_hearing_date})"

    @property
    def completed(self) -> bool:
        return self.hearing_outcome.lower() not in self.NOT_AN_OUTCOME or bool(self.hearing_outcome_received_on)

    @property
    def outcome(self) -> str | None:
        """ "release", "not_release", or None while the review is not completed."""
        if not self.completed:
            return None
        return "release" if self.hearing_outcome.lower().startswith("release") else "not_release"
