"""Key work factories: prison configuration, key worker profiles, allocations and sessions."""

import datetime as dt

import factory
from django.utils import timezone

from keywork.models import KeyworkAllocation, KeyworkConfiguration, KeyWorkerProfile, KeyworkSession
from tests.factories.cases import PrisonerFactory, PrisonFactory, StaffProfileFactory, UserFactory


class KeyworkConfigurationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyworkConfiguration
        django_get_or_create = ("prison",)

    prison = factory.SubFactory(PrisonFactory)
    is_enabled = True
    allow_auto_allocation = True


class KeyWorkerProfileFactory(factory.django.DjangoModelFactory):
    """A key worker at a prison: the user has the key worker role and works in the prison."""

    class Meta:
        model = KeyWorkerProfile
        django_get_or_create = ("user", "prison")
        skip_postgeneration_save = True

    prison = factory.SubFactory(PrisonFactory)
    user = factory.SubFactory(UserFactory, roles=["key_worker"])

    @factory.post_generation
    def works_here(self, create, extracted, **kwargs):
        if create:
            StaffProfileFactory(user=self.user).prisons.add(self.prison)


class KeyworkAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyworkAllocation

    key_worker = factory.SubFactory(KeyWorkerProfileFactory)
    prison = factory.LazyAttribute(lambda o: o.key_worker.prison)
    prisoner = factory.SubFactory(PrisonerFactory, prison=factory.SelfAttribute("..prison"))
    allocated_at = factory.LazyFunction(timezone.now)


class KeyworkSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyworkSession

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    key_worker = factory.SubFactory(UserFactory, roles=["key_worker"])
    session_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    session_type = KeyworkSession.Type.SESSION
    duration_minutes = 45
    notes = "Talked about education and the next sentence plan review."
    created_by = factory.SelfAttribute("key_worker")
