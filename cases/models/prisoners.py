from django.db import models
from simple_history.models import HistoricalRecords

from cases.validators import CRN_PATTERN, PRISON_NUMBER_PATTERN, validate_crn, validate_prison_number


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    NOT_KNOWN = "not_known", "Not known"


class LegalStatus(models.TextChoices):
    SENTENCED = "sentenced", "Sentenced"
    RECALL = "recall", "Recall"
    REMAND = "remand", "Remand"
    CONVICTED_UNSENTENCED = "convicted_unsentenced", "Convicted unsentenced"
    CIVIL = "civil", "Civil prisoner"
    IMMIGRATION_DETAINEE = "immigration_detainee", "Immigration detainee"


class SecurityCategory(models.TextChoices):
    A = "A", "Category A"
    B = "B", "Category B"
    C = "C", "Category C"
    D = "D", "Category D (men's open)"
    R = "R", "Restricted (women's closed)"
    T = "T", "Open (women's)"
    I = "I", "YOI closed"  # noqa: E741
    J = "J", "YOI open"
    V = "V", "YOI restricted"
    U = "U", "Unsentenced or uncategorised"


class Prisoner(models.Model):
    """A person in prison: the case. The natural key is the prison number (NOMIS offender number)."""

    Sex = Sex
    LegalStatus = LegalStatus
    SecurityCategory = SecurityCategory
    prison_number = models.CharField(max_length=7, primary_key=True, validators=[validate_prison_number])
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=9, choices=Sex.choices, default=Sex.NOT_KNOWN)
    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="prisoners")
    prison_arrival_date = models.DateField("arrival date in this prison", null=True, blank=True)
    legal_status = models.CharField(max_length=21, choices=LegalStatus.choices)
    imprisonment_status = models.CharField(
        "imprisonment status code", max_length=12, blank=True, help_text="The raw prison-system code, like SENT03."
    )
    cell_location = models.CharField(max_length=40, blank=True)
    security_category = models.CharField(max_length=1, choices=SecurityCategory.choices, blank=True)
    category_approved_date = models.DateField("security category approved on", null=True, blank=True)
    care_experienced = models.BooleanField(default=False)
    youth_transfer_on = models.DateField(
        "arrived from the youth estate on",
        null=True,
        blank=True,
        help_text="The day the young person arrived from an under-18 establishment (youth-to-adult transition).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["prison", "last_name", "first_name"], name="prisoner_prison_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(prison_number__regex=PRISON_NUMBER_PATTERN), name="prisoner_number_format"
            ),
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="prisoner_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(legal_status__in=LegalStatus.values), name="prisoner_legal_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(security_category__in=[*SecurityCategory.values, ""]),
                name="prisoner_security_category_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(category_approved_date__isnull=True) | ~models.Q(security_category=""),
                name="prisoner_category_date_needs_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.prison_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def list_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


class SentenceType(models.TextChoices):
    DETERMINATE = "determinate", "Determinate"
    INDETERMINATE = "indeterminate", "Indeterminate (life, IPP)"


class RecallType(models.TextChoices):
    FIXED_TERM_14 = "fixed_term_14", "Fixed-term recall (14 days)"
    FIXED_TERM_28 = "fixed_term_28", "Fixed-term recall (28 days)"
    STANDARD = "standard", "Standard recall"


class Sentence(models.Model):
    """The current sentence of a prisoner, with the sentence calculation's dates.

    Where the sentence calculation holds an override for a date (``*_override``), that value is the one in force:
    use ``effective(...)`` or the ``*_effective`` properties rather than the raw field.
    """

    SentenceType = SentenceType
    RecallType = RecallType
    OVERRIDABLE = (
        "conditional_release_date",
        "automatic_release_date",
        "parole_eligibility_date",
        "home_detention_curfew_eligibility_date",
        "licence_expiry_date",
        "sentence_expiry_date",
        "post_recall_release_date",
        "release_date",
    )

    prisoner = models.OneToOneField("cases.Prisoner", on_delete=models.CASCADE, related_name="sentence")
    sentence_type = models.CharField(max_length=13, choices=SentenceType.choices)
    sentence_start_date = models.DateField("sentence start date (SSD)", null=True, blank=True)
    conditional_release_date = models.DateField("conditional release date (CRD)", null=True, blank=True)
    automatic_release_date = models.DateField("automatic release date (ARD)", null=True, blank=True)
    parole_eligibility_date = models.DateField("parole eligibility date (PED)", null=True, blank=True)
    tariff_expiry_date = models.DateField("tariff expiry date (TED)", null=True, blank=True)
    home_detention_curfew_eligibility_date = models.DateField("HDC eligibility date (HDCED)", null=True, blank=True)
    home_detention_curfew_actual_date = models.DateField("HDC actual date (HDCAD)", null=True, blank=True)
    licence_expiry_date = models.DateField("licence expiry date (LED)", null=True, blank=True)
    sentence_expiry_date = models.DateField("sentence expiry date (SED)", null=True, blank=True)
    post_recall_release_date = models.DateField("post-recall release date (PRRD)", null=True, blank=True)
    release_date = models.DateField("release date", null=True, blank=True)
    conditional_release_date_override = models.DateField("CRD override", null=True, blank=True)
    automatic_release_date_override = models.DateField("ARD override", null=True, blank=True)
    parole_eligibility_date_override = models.DateField("PED override", null=True, blank=True)
    home_detention_curfew_eligibility_date_override = models.DateField("HDCED override", null=True, blank=True)
    licence_expiry_date_override = models.DateField("LED override", null=True, blank=True)
    sentence_expiry_date_override = models.DateField("SED override", null=True, blank=True)
    post_recall_release_date_override = models.DateField("PRRD override", null=True, blank=True)
    release_date_override = models.DateField("release date override", null=True, blank=True)
    recalled = models.BooleanField("recall", default=False)
    recall_type = models.CharField(max_length=13, choices=RecallType.choices, blank=True)
    additional_future_isp = models.BooleanField(
        "further indeterminate sentence starts later",
        default=False,
        help_text="A further indeterminate sentence starts after this one.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sentence_type__in=SentenceType.values), name="sentence_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(recall_type__in=[*RecallType.values, ""]), name="sentence_recall_type_valid"
            ),
            # A recall type describes a recall: it is set only on a recalled sentence.
            models.CheckConstraint(
                condition=models.Q(recall_type="") | models.Q(recalled=True), name="sentence_recall_type_needs_recall"
            ),
            models.CheckConstraint(
                condition=models.Q(sentence_expiry_date__isnull=True)
                | models.Q(sentence_start_date__isnull=True)
                | models.Q(sentence_expiry_date__gte=models.F("sentence_start_date")),
                name="sentence_expiry_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(tariff_expiry_date__isnull=True) | models.Q(sentence_type="indeterminate"),
                name="sentence_ted_only_indeterminate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_sentence_type_display()} sentence of {self.prisoner_id}"

    def effective(self, field: str):
        """The date in force for ``field``: the sentence calculation's override where it has one."""
        if field not in self.OVERRIDABLE:
            return getattr(self, field)
        override = getattr(self, f"{field}_override")
        return override if override is not None else getattr(self, field)

    @property
    def is_indeterminate(self) -> bool:
        return self.sentence_type == self.SentenceType.INDETERMINATE


class TierSource(models.TextChoices):
    CALCULATED = "calculated", "Calculated"
    MANUAL = "manual", "Entered by hand"
    IMPORTED = "imported", "Imported"


class Tier(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class RoshLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class Complexity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class CaseInformation(models.Model):
    """The probation side of a case: CRN, tier, risk, MAPPA, the delivery unit and the COM."""

    TierSource = TierSource
    Tier = Tier
    RoshLevel = RoshLevel
    Complexity = Complexity
    prisoner = models.OneToOneField("cases.Prisoner", on_delete=models.CASCADE, related_name="case_information")
    crn = models.CharField("CRN", max_length=7, blank=True, validators=[validate_crn])
    tier = models.CharField(max_length=1, choices=Tier.choices, blank=True)
    tier_source = models.CharField(max_length=10, choices=TierSource.choices, blank=True)
    tier_date = models.DateField("tier set on", null=True, blank=True)
    rosh_level = models.CharField(
        "RoSH level", max_length=9, choices=RoshLevel.choices, blank=True, help_text="Blank means not known."
    )
    mappa_level = models.PositiveSmallIntegerField(
        "MAPPA level", null=True, blank=True, help_text="Blank means not known; 0 means known not to be MAPPA."
    )
    enhanced_resourcing = models.BooleanField(
        null=True, blank=True, help_text="Blank means not known, which is treated as enhanced (DECISIONS.md D-07)."
    )
    probation_region = models.CharField(max_length=80, blank=True)
    local_delivery_unit = models.ForeignKey(
        "cases.LocalDeliveryUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    com = models.ForeignKey(
        "cases.CommunityOffenderManager",
        verbose_name="COM",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    womens_complexity = models.CharField(
        "women's complexity of need", max_length=6, choices=Complexity.choices, blank=True
    )
    com_allocated_on = models.DateField(
        "COM allocated on", null=True, blank=True, help_text="The day the COM was allocated (handover meeting, D-07)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "case information"
        verbose_name_plural = "case information"
        constraints = [
            models.UniqueConstraint(fields=["crn"], condition=~models.Q(crn=""), name="case_information_crn_unique"),
            models.CheckConstraint(
                condition=models.Q(crn="") | models.Q(crn__regex=CRN_PATTERN), name="case_information_crn_format"
            ),
            models.CheckConstraint(condition=models.Q(tier__in=[*Tier.values, ""]), name="case_information_tier_valid"),
            # A tier is never without its source and date, and a source never without a tier.
            models.CheckConstraint(
                condition=(models.Q(tier="") & models.Q(tier_source="") & models.Q(tier_date__isnull=True))
                | (
                    ~models.Q(tier="") & models.Q(tier_source__in=TierSource.values) & models.Q(tier_date__isnull=False)
                ),
                name="case_information_tier_has_source",
            ),
            models.CheckConstraint(
                condition=models.Q(rosh_level__in=[*RoshLevel.values, ""]), name="case_information_rosh_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(mappa_level__isnull=True) | models.Q(mappa_level__lte=3),
                name="case_information_mappa_0_to_3",
            ),
            models.CheckConstraint(
                condition=models.Q(womens_complexity__in=[*Complexity.values, ""]),
                name="case_information_complexity_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Case information for {self.prisoner_id}"
