from django.db import models

from cases.validators import LDU_CODE_PATTERN, PRISON_CODE_PATTERN, validate_ldu_code, validate_prison_code


class Country(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"


class Estate(models.TextChoices):
    MENS_CLOSED = "mens_closed", "Men's closed"
    MENS_OPEN = "mens_open", "Men's open"
    WOMENS = "womens", "Women's"
    YOUTH = "youth", "Youth"


class Operator(models.TextChoices):
    PUBLIC = "public", "Public sector"
    PRIVATE = "private", "Privately managed"


class Prison(models.Model):
    """A prison (establishment). The natural key is the 3-letter prison (agency) code."""

    Estate = Estate
    Operator = Operator
    code = models.CharField("prison code", max_length=3, primary_key=True, validators=[validate_prison_code])
    name = models.CharField(max_length=120)
    estate = models.CharField(max_length=12, choices=Estate.choices)
    is_reception = models.BooleanField("reception function", default=False)
    is_training = models.BooleanField("training function", default=False)
    is_resettlement = models.BooleanField("resettlement function", default=False)
    operator = models.CharField(max_length=7, choices=Operator.choices, default=Operator.PUBLIC)
    country = models.CharField(max_length=7, choices=Country.choices, default=Country.ENGLAND)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=PRISON_CODE_PATTERN), name="prison_code_format"),
            models.CheckConstraint(condition=models.Q(estate__in=Estate.values), name="prison_estate_valid"),
            models.CheckConstraint(condition=models.Q(operator__in=Operator.values), name="prison_operator_valid"),
            models.CheckConstraint(condition=models.Q(country__in=Country.values), name="prison_country_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def functions(self) -> list[str]:
        names = [
            ("reception", self.is_reception),
            ("training", self.is_training),
            ("resettlement", self.is_resettlement),
        ]
        return [name for name, held in names if held]


class LocalDeliveryUnit(models.Model):
    """A probation local (or probation) delivery unit, with the functional mailbox referrals go to."""

    code = models.CharField(max_length=20, unique=True, validators=[validate_ldu_code])
    name = models.CharField(max_length=120)
    email = models.EmailField("functional mailbox", blank=True)
    country = models.CharField(max_length=7, choices=Country.choices, default=Country.ENGLAND)
    probation_region = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "local delivery unit"
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=LDU_CODE_PATTERN), name="ldu_code_format"),
            models.CheckConstraint(condition=models.Q(country__in=Country.values), name="ldu_country_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
