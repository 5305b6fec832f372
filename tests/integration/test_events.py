"""Inbound domain events: stored once per id, processed by type through the owning services, retried with backoff,
parked when the retries are used up, retried by a person, and queued again when their job was lost."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import AuditEvent, CaseInformation, ParoleReview, PomAllocation, Prisoner
from handover.models import CalculatedHandover
from integration import event_services
from integration.event_services import EventConflict, event_process, event_receive, event_retry, events_requeue_due
from integration.models import EventStatus, EventType, InboundEvent, PrisonerMerge, Release
from keywork.models import DeallocationReason
from tests.factories import PrisonFactory
from tests.factories.allocation import PomAllocationFactory
from tests.factories.cases import LocalDeliveryUnitFactory, PrisonerFactory
from tests.factories.handover import handover_case
from tests.factories.keywork import KeyworkAllocationFactory, KeyWorkerProfileFactory
from tiering.models import TierRecord

pytestmark = pytest.mark.django_db

OCCURRED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def send(event_type, prison_number, payload=None, *, event_id=None):
    """Receive an event as the API does; with the on-commit hooks run, it is processed at once (eager Celery)."""
    return event_receive(
        event_id=event_id or f"{event_type}-{prison_number}-{InboundEvent.objects.count()}",
        event_type=event_type,
        prison_number=prison_number,
        occurred_at=OCCURRED,
        payload=payload or {},
        received_from="tests",
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Send an event and run what its commit queues (processing, then the after-commit steps it triggers)."""

    def go(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            event, created = send(*args, **kwargs)
        event.refresh_from_db()
        return event

    return go


@pytest.fixture
def leeds(db):
    return PrisonFactory(code="LEI", name="HMP Leeds")


def test_the_same_event_id_is_stored_once(leeds):
    prisoner = PrisonerFactory(prison=leeds)
    first, created = send(EventType.SENTENCE_CHANGED, prisoner.pk, event_id="e-1")
    again, created_again = send(EventType.SENTENCE_CHANGED, prisoner.pk, event_id="e-1")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert InboundEvent.objects.filter(event_id="e-1").count() == 1
    with pytest.raises(EventConflict):
        send(EventType.PRISONER_RELEASED, prisoner.pk, event_id="e-1")


def test_a_transfer_moves_the_prisoner_and_ends_pom_and_key_work_allocations(run, leeds):
    PrisonFactory(code="MDI", name="HMP Moorland")
    key_work = KeyworkAllocationFactory(key_worker=KeyWorkerProfileFactory(prison=leeds))
    prisoner = key_work.prisoner
    pom = PomAllocationFactory(prisoner=prisoner)

    event = run(EventType.PRISONER_TRANSFERRED, prisoner.pk, {"prisonId": "MDI", "arrivalDate": "2026-11-20"})

    assert event.status == EventStatus.PROCESSED, event.last_error
    prisoner.refresh_from_db()
    assert (prisoner.prison_id, prisoner.prison_arrival_date) == ("MDI", dt.date(2026, 11, 20))
    pom.refresh_from_db()
    key_work.refresh_from_db()
    assert pom.end_trigger == PomAllocation.EndTrigger.TRANSFER
    assert key_work.deallocation_reason == DeallocationReason.TRANSFERRED


def test_a_release_is_recorded_once_and_ends_the_allocations(run, leeds):
    key_work = KeyworkAllocationFactory(key_worker=KeyWorkerProfileFactory(prison=leeds))
    prisoner = key_work.prisoner
    pom = PomAllocationFactory(prisoner=prisoner)

    event = run(EventType.PRISONER_RELEASED, prisoner.pk, {"releasedOn": "2026-11-19", "reason": "Conditional release"})

    assert event.status == EventStatus.PROCESSED, event.last_error
    release = Release.objects.get(prisoner=prisoner)
    assert (release.released_on, release.prison_id) == (dt.date(2026, 11, 19), prisoner.prison_id)
    pom.refresh_from_db()
    key_work.refresh_from_db()
    assert pom.end_trigger == PomAllocation.EndTrigger.RELEASE
    assert key_work.deallocation_reason == DeallocationReason.RELEASED
    assert AuditEvent.objects.filter(action="prisoner_released", prisoner=prisoner).count() == 1
    # Another event about the same release records nothing more.
    second = run(EventType.PRISONER_RELEASED, prisoner.pk, {"releasedOn": "2026-11-19"})
    assert second.status == EventStatus.PROCESSED
    assert Release.objects.filter(prisoner=prisoner).count() == 1
    assert "already recorded" in second.outcome


def test_a_sentence_change_stores_the_sentence_and_recalculates_the_handover(run, leeds):
    prisoner = handover_case(prison=leeds, release_in=relativedelta(months=30), today=timezone.localdate())
    sentence = prisoner.sentence
    new_crd = sentence.conditional_release_date + relativedelta(months=6)
    payload = {
        "sentence": {
            "sentenceType": "determinate",
            "sentenceStartDate": sentence.sentence_start_date.isoformat(),
            "conditionalReleaseDate": new_crd.isoformat(),
            "sentenceExpiryDate": sentence.sentence_expiry_date.isoformat(),
        }
    }
    event = run(EventType.SENTENCE_CHANGED, prisoner.pk, payload)
    assert event.status == EventStatus.PROCESSED, event.last_error
    prisoner.sentence.refresh_from_db()
    assert prisoner.sentence.conditional_release_date == new_crd
    assert CalculatedHandover.objects.get(pk=prisoner.pk).earliest_release_date == new_crd


def test_a_com_allocation_and_a_tier_change_update_the_case(run, leeds):
    prisoner = handover_case(prison=leeds, release_in=relativedelta(months=30))
    ldu = LocalDeliveryUnitFactory(code="N07ABC")
    com = {"com": {"name": "Jane Probation", "email": "jane@example.gov.uk"}, "lduCode": "N07ABC"}
    assert run(EventType.COM_ALLOCATED, prisoner.pk, com).status == EventStatus.PROCESSED
    case = CaseInformation.objects.select_related("com").get(prisoner=prisoner)
    assert (case.com.email, case.local_delivery_unit_id) == ("jane@example.gov.uk", ldu.pk)

    tier = run(EventType.TIER_CHANGED, prisoner.pk, {"tierInputs": {"rsr": 8, "ogrs": 55}, "tierModel": "v2"})
    assert tier.status == EventStatus.PROCESSED, tier.last_error
    assert TierRecord.objects.get(prisoner=prisoner, current=True).score == "B1"


def test_a_parole_outcome_is_stored_through_the_parole_service(run, leeds):
    prisoner = handover_case(prison=leeds, release_in=relativedelta(months=30))
    payload = {"reviewId": "R-1", "targetHearingDate": "2026-10-01", "hearingOutcome": "No release"}
    event = run(EventType.PAROLE_OUTCOME, prisoner.pk, payload)
    assert event.status == EventStatus.PROCESSED, event.last_error
    assert ParoleReview.objects.get(prisoner=prisoner, review_id="R-1").hearing_outcome == "No release"


def test_a_merge_is_recorded_for_review(run, leeds):
    prisoner = PrisonerFactory(prison=leeds)
    event = run(EventType.PRISONER_MERGED, prisoner.pk, {"removedPrisonNumber": "Z9999ZZ"})
    assert event.status == EventStatus.PROCESSED
    assert PrisonerMerge.objects.filter(removed_prison_number="Z9999ZZ", prison_number=prisoner.pk).exists()


def test_a_failing_event_is_retried_with_growing_waits_then_parked(run, settings):
    settings.INTEGRATION_MAX_ATTEMPTS = 3
    settings.INTEGRATION_RETRY_BASE_SECONDS = 60
    event = run(EventType.PRISONER_RELEASED, "A1111AA")  # nobody of that number here yet
    assert (event.status, event.attempts) == (EventStatus.FAILED, 1)
    assert "not known here" in event.last_error
    first_wait = event.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(seconds=60)
    today = timezone.localdate()

    # Not due yet: a duplicate job does nothing.
    assert event_process(event_pk=event.pk, today=today, now=timezone.now()).outcome == "skipped"
    later = event.next_attempt_at + dt.timedelta(seconds=1)
    second = event_process(event_pk=event.pk, today=today, now=later)
    assert (second.outcome, second.retry_in) == ("retry", 240)
    event.refresh_from_db()
    third = event_process(event_pk=event.pk, today=today, now=event.next_attempt_at)
    assert third.outcome == "parked"
    event.refresh_from_db()
    assert (event.status, event.attempts, event.next_attempt_at) == (EventStatus.PARKED, 3, None)
    assert event_process(event_pk=event.pk, today=today, now=later).outcome == "skipped"


def test_a_parked_event_retried_by_a_person_is_processed_once_the_cause_is_fixed(
    run, leeds, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATION_MAX_ATTEMPTS = 1
    event = run(EventType.PRISONER_MERGED, "A1111AA", {"removedPrisonNumber": "B2222BB"})
    assert event.status == EventStatus.PROCESSED  # a merge needs no stored prisoner
    parked = run(EventType.PRISONER_RELEASED, "A1111AA")
    assert parked.status == EventStatus.PARKED
    PrisonerFactory(prison_number="A1111AA", prison=leeds)
    with django_capture_on_commit_callbacks(execute=True):
        event_retry(event=parked, actor=None)
    parked.refresh_from_db()
    assert parked.status == EventStatus.PROCESSED, parked.last_error
    assert AuditEvent.objects.filter(action="inbound_event_retried").count() == 1


def test_overdue_events_are_queued_again(leeds, monkeypatch):
    queued = []
    monkeypatch.setattr(event_services, "_queue", queued.append)
    now = timezone.now()
    stale, _ = send(EventType.PRISONER_RELEASED, "A1111AA")
    fresh, _ = send(EventType.PRISONER_RELEASED, "A2222AA")
    InboundEvent.objects.filter(pk=stale.pk).update(received_at=now - dt.timedelta(minutes=10))
    overdue_retry, _ = send(EventType.PRISONER_RELEASED, "A3333AA")
    InboundEvent.objects.filter(pk=overdue_retry.pk).update(
        status=EventStatus.FAILED, received_at=now, next_attempt_at=now - dt.timedelta(minutes=10)
    )
    assert events_requeue_due(now=now) == 2
    assert sorted(queued) == sorted([stale.pk, overdue_retry.pk])
    assert Prisoner.objects.count() == 0


def test_the_command_queues_overdue_events_and_deliveries(leeds, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    PrisonerFactory(prison_number="A1111AA", prison=leeds)
    stale, _ = send(EventType.PRISONER_RELEASED, "A1111AA")
    InboundEvent.objects.filter(pk=stale.pk).update(received_at=timezone.now() - dt.timedelta(minutes=10))
    out = StringIO()
    call_command("integration_requeue", stdout=out)
    assert out.getvalue().strip() == "Queued 1 event(s) and 0 webhook delivery(ies)."
    stale.refresh_from_db()
    assert stale.status == EventStatus.PROCESSED  # eager Celery: processed by the queued job


def test_a_received_event_into_the_same_prison_ends_nothing(run, leeds):
    key_work = KeyworkAllocationFactory(key_worker=KeyWorkerProfileFactory(prison=leeds))
    event = run(EventType.PRISONER_RECEIVED, key_work.prisoner.pk, {"prisonId": leeds.code})
    assert event.status == EventStatus.PROCESSED
    assert event.outcome == "prisoner unchanged"
    key_work.refresh_from_db()
    assert key_work.ended_at is None
