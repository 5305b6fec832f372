"""Factories for key work recording: key workers, allocations and sessions (built on the keywork models), POM–key
worker contacts, progression plans and quality samples; and ``key_worker_user`` to make a signed-in-able key worker."""

import datetime as dt

import factory
from django.utils import timezone

from keywork.models import (
    KeyworkAllocation,
    KeyWorkerProfile,
    KeyworkSession,
    PomContact,
    ProgressionGoal,
    ProgressionPlan,
    QualityCheck,
    QualitySample,
    SessionType,
)
from tests.factories.cases import (
    REFERENCE_DAY,
    PomProfileFactory,
    PrisonerFactory,
    PrisonFactory,
    StaffProfileFactory,
    UserFactory,
)


def key_worker_user(*, prison, username=None, **names):
    """A user with the key worker role, working in the prison, with a key worker profile there."""
    kwargs = {"roles": ["key_worker"], **names}
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    StaffProfileFactory(user=user, prisons=[prison])
    KeyWorkerProfileFactory(user=user, prison=prison)
    return user


def pom_user(*, prison, username=None, **names):
    """A user with the POM role, working in the prison, with a POM profile there."""
    kwargs = {"roles": ["pom"], **names}
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    StaffProfileFactory(user=user, prisons=[prison])
    PomProfileFactory(user=user, prison=prison)
    return user


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class KeyWorkerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyWorkerProfile
        django_get_or_create = ("user", "prison")

    user = factory.SubFactory(UserFactory, roles=["key_worker"])
    prison = factory.SubFactory(PrisonFactory)


class KeyworkAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyworkAllocation

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    key_worker = factory.SubFactory(KeyWorkerProfileFactory, prison=factory.SelfAttribute("..prison"))
    allocated_at = factory.LazyFunction(lambda: at_noon(REFERENCE_DAY - dt.timedelta(days=30)))


class KeyworkSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyworkSession

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    key_worker = factory.SubFactory(UserFactory, roles=["key_worker"])
    session_date = REFERENCE_DAY
    session_type = SessionType.SESSION
    duration_minutes = factory.LazyAttribute(lambda o: 45 if o.session_type == SessionType.SESSION else None)
    notes = factory.Sequence(lambda n: f"Talked about education and work, note {n}")
    is_sensitive = False
    created_by = factory.SelfAttribute("key_worker")


class PomContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PomContact

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    contact_date = REFERENCE_DAY
    pom = factory.SubFactory(UserFactory, roles=["pom"])
    key_worker = factory.SubFactory(UserFactory, roles=["key_worker"])
    summary = "Agreed to work on the education target of the sentence plan in key work."
    recorded_by = factory.SelfAttribute("key_worker")


class ProgressionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressionPlan

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    has_sentence_plan = False


class ProgressionGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressionGoal

    plan = factory.SubFactory(ProgressionPlanFactory)
    description = factory.Sequence(lambda n: f"Get a job in the kitchens ({n})")
    target_date = factory.LazyFunction(lambda: REFERENCE_DAY + dt.timedelta(days=90))


class QualitySampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualitySample

    prison = factory.SubFactory(PrisonFactory)
    key_worker = factory.SubFactory(UserFactory, roles=["key_worker"])
    month = dt.date(2026, 10, 1)
    entry_count = 3
    sample_size = 3
    drawn_at = factory.LazyFunction(lambda: at_noon(REFERENCE_DAY))


class QualityCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualityCheck

    sample = factory.SubFactory(QualitySampleFactory)
    session = factory.SubFactory(
        KeyworkSessionFactory,
        key_worker=factory.SelfAttribute("..sample.key_worker"),
        prisoner__prison=factory.SelfAttribute("...sample.prison"),
        session_date=factory.SelfAttribute("..sample.month"),
    )
