"""cases.services case_tier_set and case_tiers_set: a case's tier, source and date set all together (or all cleared),
the case information created when missing, only changes written, every change audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cases.models import AuditEvent, CaseInformation
from cases.services import case_tier_set, case_tiers_set
from tests.factories import CaseInformationFactory, PrisonerFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 24)


def _tier(prisoner):
    case = CaseInformation.objects.get(prisoner=prisoner)
    return case.tier, case.tier_source, case.tier_date


def test_sets_the_three_fields_and_audits_who_and_why():
    prisoner, user = PrisonerFactory(), UserFactory()
    CaseInformationFactory(prisoner=prisoner, tier="D", tier_source="imported", tier_date=dt.date(2026, 1, 1))
    case_tier_set(prisoner=prisoner, tier="B", tier_source="calculated", tier_date=DAY, actor=user, reason="New RSR")
    assert _tier(prisoner) == ("B", "calculated", DAY)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.reason, event.prison_number) == ("updated", user, "New RSR", prisoner.pk)
    assert event.before == {"tier": "D", "tier_source": "imported", "tier_date": "2026-01-01"}
    assert event.after == {"tier": "B", "tier_source": "calculated", "tier_date": "2026-11-24"}


def test_creates_missing_case_information_and_writes_nothing_when_unchanged():
    prisoner = PrisonerFactory()
    assert case_tier_set(prisoner=prisoner, tier="", tier_source="", tier_date=None, actor_label="job") is None
    assert not CaseInformation.objects.exists()
    case = case_tier_set(prisoner=prisoner, tier="C", tier_source="manual", tier_date=DAY, actor_label="job")
    assert case.pk
    assert _tier(prisoner) == ("C", "manual", DAY)
    assert AuditEvent.objects.get().action == "created"
    case_tier_set(prisoner=prisoner, tier="C", tier_source="manual", tier_date=DAY, actor_label="job")
    assert AuditEvent.objects.count() == 1
    case_tier_set(prisoner=prisoner, tier="", tier_source="", tier_date=None, actor_label="job")
    assert _tier(prisoner) == ("", "", None)
    assert AuditEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (("B", "", DAY), "tier_source"),
        (("B", "calculated", None), "tier_date"),
        (("", "calculated", None), "tier"),
        (("", "", DAY), "tier"),
        (("Z", "calculated", DAY), "tier"),
        (("B", "guessed", DAY), "tier_source"),
    ],
)
def test_a_partial_or_unknown_tier_is_refused_naming_the_field(values, field):
    prisoner = PrisonerFactory()
    tier, source, day = values
    with pytest.raises(ValidationError) as error:
        case_tier_set(prisoner=prisoner, tier=tier, tier_source=source, tier_date=day)
    assert field in error.value.message_dict
    with pytest.raises(ValidationError):
        case_tiers_set(tiers={prisoner.pk: values}, actor_label="job")
    assert not CaseInformation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_bulk_creates_updates_and_leaves_alone_in_constant_queries(django_assert_num_queries):
    same, changed, cleared, missing, nothing = PrisonerFactory.create_batch(5)
    CaseInformationFactory(prisoner=same, tier="A", tier_source="calculated", tier_date=DAY)
    CaseInformationFactory(prisoner=changed, tier="D", tier_source="imported", tier_date=dt.date(2026, 1, 1))
    CaseInformationFactory(prisoner=cleared, tier="D", tier_source="imported", tier_date=dt.date(2026, 1, 1))
    tiers = {
        same.pk: ("A", "calculated", DAY),
        changed.pk: ("A", "calculated", DAY),
        cleared.pk: ("", "", None),
        missing.pk: ("B", "calculated", DAY),
        nothing.pk: ("", "", None),
    }
    # read, one UPDATE per distinct value (2), INSERT of the missing one, INSERT of the audit events (COPY on
    # PostgreSQL, which Django's query log does not see)
    with django_assert_num_queries(5 if connection.vendor != "postgresql" else 4):
        counts = case_tiers_set(tiers=tiers, actor_label="nightly", reason="Recalculated")
    assert counts == {"created": 1, "updated": 2, "unchanged": 2}
    assert _tier(changed) == ("A", "calculated", DAY)
    assert _tier(cleared) == ("", "", None)
    assert _tier(missing) == ("B", "calculated", DAY)
    assert not CaseInformation.objects.filter(prisoner=nothing).exists()
    events = {e.prison_number: e for e in AuditEvent.objects.all()}
    assert set(events) == {changed.pk, cleared.pk, missing.pk}
    assert events[missing.pk].action == "created"
    assert events[missing.pk].object_id == str(CaseInformation.objects.get(prisoner=missing).pk)
    assert events[cleared.pk].after == {"tier": "", "tier_source": "", "tier_date": None}
    assert {(e.actor_label, e.reason) for e in events.values()} == {("nightly", "Recalculated")}
    assert case_tiers_set(tiers=tiers, actor_label="nightly") == {"created": 0, "updated": 0, "unchanged": 5}
    assert AuditEvent.objects.count() == 3
