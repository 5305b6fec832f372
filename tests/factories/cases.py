import datetime as dt
import string
from decimal import Decimal

import factory
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import (
    CaseInformation,
    CommunityOffenderManager,
    LocalDeliveryUnit,
    PomProfile,
    Prison,
    Prisoner,
    Sentence,
    StaffProfile,
)

# Factories build around a fixed day so that generated data is deterministic under a seed.
REFERENCE_DAY = dt.date(2026, 11, 24)


def _prison_code(n: int) -> str:
    letters = string.ascii_uppercase
    return "Z" + letters[(n // 26) % 26] + letters[n % 26]


def _prison_number(n: int) -> str:
    letters = string.ascii_uppercase
    return f"{letters[(n // 676) % 26]}{n % 10000:04d}{letters[(n // 26) % 26]}{letters[n % 26]}"


class PrisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prison
        django_get_or_create = ("code",)

    code = factory.Sequence(_prison_code)
    name = factory.LazyAttribute(lambda o: f"HMP Test {o.code}")
    estate = Prison.Estate.MENS_CLOSED
    is_reception = True
    is_resettlement = True
    operator = Prison.Operator.PUBLIC


class LocalDeliveryUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalDeliveryUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LDU{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Delivery unit {o.code}")
    email = factory.LazyAttribute(lambda o: f"{o.code.lower()}@probation.example.gov.uk")
    probation_region = "Greater Manchester"


class CommunityOffenderManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityOffenderManager

    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"com{n}@probation.example.gov.uk")
    local_delivery_unit = factory.SubFactory(LocalDeliveryUnitFactory)


class PrisonerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prisoner

    prison_number = factory.Sequence(_prison_number)
    first_name = factory.Faker("first_name_male", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker(
        "date_between",
        start_date=REFERENCE_DAY - relativedelta(years=70),
        end_date=REFERENCE_DAY - relativedelta(years=19),
    )
    sex = Prisoner.Sex.MALE
    prison = factory.SubFactory(PrisonFactory)
    prison_arrival_date = factory.Faker(
        "date_between", start_date=REFERENCE_DAY - relativedelta(years=2), end_date=REFERENCE_DAY
    )
    legal_status = Prisoner.LegalStatus.SENTENCED
    imprisonment_status = "SENT03"
    cell_location = factory.Sequence(lambda n: f"{'ABCDE'[n % 5]}-{n % 4 + 1}-{n % 40 + 1:03d}")
    security_category = Prisoner.SecurityCategory.C
    category_approved_date = factory.LazyAttribute(lambda o: o.prison_arrival_date)


class SentenceFactory(factory.django.DjangoModelFactory):
    """A determinate sentence of about 4 years, started a year before the reference day, released at the half."""

    class Meta:
        model = Sentence

    prisoner = factory.SubFactory(PrisonerFactory)
    sentence_type = Sentence.SentenceType.DETERMINATE
    sentence_start_date = factory.LazyFunction(lambda: REFERENCE_DAY - relativedelta(years=1))
    conditional_release_date = factory.LazyAttribute(lambda o: o.sentence_start_date + relativedelta(years=2))
    sentence_expiry_date = factory.LazyAttribute(lambda o: o.sentence_start_date + relativedelta(years=4))
    licence_expiry_date = factory.LazyAttribute(lambda o: o.sentence_expiry_date)


class CaseInformationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseInformation

    prisoner = factory.SubFactory(PrisonerFactory)
    crn = factory.Sequence(lambda n: f"X{n % 1000000:06d}")
    tier = CaseInformation.Tier.C
    tier_source = CaseInformation.TierSource.IMPORTED
    tier_date = factory.LazyFunction(lambda: REFERENCE_DAY - relativedelta(months=3))
    rosh_level = CaseInformation.RoshLevel.MEDIUM
    mappa_level = 0
    enhanced_resourcing = False
    local_delivery_unit = factory.SubFactory(LocalDeliveryUnitFactory)
    probation_region = factory.LazyAttribute(lambda o: o.local_delivery_unit.probation_region)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.username}@justice.example.gov.uk")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=["pom"])`` puts the user in those role groups."""
        if create and extracted:
            # get_or_create, not filter: transactional tests flush the groups that migration 0002 made.
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile
        django_get_or_create = ("user",)
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def prisons(self, create, extracted, **kwargs):
        """``StaffProfileFactory(prisons=[prison])`` assigns the user to those prisons."""
        if create and extracted:
            self.prisons.add(*extracted)


class PomProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PomProfile

    user = factory.SubFactory(UserFactory, roles=["pom"])
    prison = factory.SubFactory(PrisonFactory)
    pom_type = PomProfile.PomType.PRISON
    working_pattern = Decimal("1.0")
    status = PomProfile.Status.ACTIVE
