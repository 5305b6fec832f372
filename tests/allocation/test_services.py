"""Allocate, reallocate, deallocate, co-working POMs and ending allocations: the rules, the audit trail and the
emails (sent after commit and logged for the timeline)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocation.services import (
    AllocationConflict,
    add_co_worker,
    allocate,
    deallocate,
    end_allocations_for,
    remove_co_worker,
)
from cases.models import AuditEvent, PomAllocation, SentEmail
from tests.factories.allocation import ready_case
from tests.factories.handover import StoredHandoverFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _allocate(prisoner, pom, actor, **kwargs):
    return allocate(prisoner, pom, actor=actor, today=TODAY(), **kwargs)


def test_allocate_records_the_allocation_audit_and_emails_the_pom_after_commit(
    prison, poms, homd_user, django_capture_on_commit_callbacks
):
    prisoner = ready_case(prison=prison, tier="C")
    StoredHandoverFactory(prisoner=prisoner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        allocation = _allocate(prisoner, poms["prison_a"], homd_user, message="Please see him this week")
        assert not mail.outbox  # nothing is sent before the commit
    assert len(callbacks) == 1
    assert allocation.role == "primary"
    assert allocation.is_active
    assert allocation.recommended_pom_type == "prison"
    assert allocation.override_reason == ""
    event = AuditEvent.objects.get(action="pom_allocated")
    assert event.prison_number == prisoner.prison_number
    assert event.actor == homd_user
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["pa@justice.example.gov.uk"]
    assert prisoner.prison_number in email.subject
    assert "Please see him this week" in email.body
    assert "COM responsible from (handover date)" in email.body
    logged = SentEmail.objects.get()
    assert logged.prisoner == prisoner
    assert logged.kind == "allocation_allocated"


def test_the_non_recommended_type_needs_an_override_reason(prison, poms, homd_user):
    prisoner = ready_case(prison=prison, tier="A")  # POM responsible: a probation POM is recommended
    with pytest.raises(ValidationError) as error:
        _allocate(prisoner, poms["prison_a"], homd_user)
    assert "override_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _allocate(prisoner, poms["prison_a"], homd_user, override_reason="other")
    assert "override_detail" in error.value.message_dict
    with pytest.raises(ValidationError):
        _allocate(prisoner, poms["prison_a"], homd_user, override_reason="other", override_detail="x" * 176)
    assert not PomAllocation.objects.exists()
    allocation = _allocate(prisoner, poms["prison_a"], homd_user, override_reason="no_staff")
    assert allocation.override_reason == "no_staff"
    assert allocation.recommended_pom_type == "probation"


def test_the_recommended_type_records_no_override_even_if_one_is_sent(prison, poms, homd_user):
    prisoner = ready_case(prison=prison, tier="A")
    allocation = _allocate(prisoner, poms["probation"], homd_user, override_reason="other", override_detail="x")
    assert allocation.override_reason == ""
    assert allocation.override_detail == ""


def test_reallocation_ends_the_active_primary_with_the_reallocated_trigger(
    prison, poms, homd_user, django_capture_on_commit_callbacks
):
    prisoner = ready_case(prison=prison)
    first = _allocate(prisoner, poms["prison_a"], homd_user)
    with django_capture_on_commit_callbacks(execute=True):
        second = _allocate(prisoner, poms["prison_b"], homd_user, expected_primary=first.pk)
    first.refresh_from_db()
    assert first.end_trigger == "reallocated"
    assert first.ended_by == homd_user
    assert second.is_active
    assert {e.to[0] for e in mail.outbox} == {"pa@justice.example.gov.uk", "pb@justice.example.gov.uk"}
    assert AuditEvent.objects.filter(action="pom_reallocated").count() == 1


def test_a_stale_expected_allocation_is_a_clear_conflict(prison, poms, homd_user):
    prisoner = ready_case(prison=prison)
    _allocate(prisoner, poms["prison_a"], homd_user, expected_primary=None)
    with pytest.raises(AllocationConflict, match="Someone else allocated this case to Priya Adams"):
        _allocate(prisoner, poms["prison_b"], homd_user, expected_primary=None)
    assert PomAllocation.objects.filter(ended_at__isnull=True).count() == 1


def test_the_same_pom_twice_and_an_unavailable_pom_are_refused(prison, poms, homd_user):
    prisoner = ready_case(prison=prison)
    _allocate(prisoner, poms["prison_a"], homd_user)
    with pytest.raises(ValidationError, match="already this case's POM"):
        _allocate(prisoner, poms["prison_a"], homd_user)
    poms["prison_b"].status = "unavailable"
    poms["prison_b"].save()
    with pytest.raises(ValidationError, match="not taking new cases"):
        _allocate(prisoner, poms["prison_b"], homd_user)


def test_a_pom_of_another_prison_is_refused(prison, other_prison, poms, homd_user):
    prisoner = ready_case(prison=other_prison)
    with pytest.raises(ValidationError, match="works in the prison"):
        _allocate(prisoner, poms["prison_a"], homd_user)


def test_the_database_constraint_becomes_the_clear_message(prison, poms, homd_user, monkeypatch):
    """Were the lock ever bypassed, the unique constraint still refuses a second primary, with the same message."""
    from allocation import services

    prisoner = ready_case(prison=prison)
    _allocate(prisoner, poms["prison_a"], homd_user)
    monkeypatch.setattr(services, "_active", lambda prisoner, role: None)
    with pytest.raises(AllocationConflict, match="Someone else allocated this case"):
        _allocate(prisoner, poms["prison_b"], homd_user)


def test_co_worker_must_differ_from_the_primary_and_needs_one(prison, poms, homd_user):
    prisoner = ready_case(prison=prison)
    with pytest.raises(ValidationError, match="primary POM before"):
        add_co_worker(prisoner, poms["prison_b"], actor=homd_user)
    _allocate(prisoner, poms["prison_a"], homd_user)
    with pytest.raises(ValidationError, match="someone other than the primary"):
        add_co_worker(prisoner, poms["prison_a"], actor=homd_user)
    co = add_co_worker(prisoner, poms["probation"], actor=homd_user)
    assert co.role == "co_working"
    with pytest.raises(AllocationConflict):
        add_co_worker(prisoner, poms["prison_b"], actor=homd_user)
    with pytest.raises(ValidationError, match="co-working POM: remove them"):
        _allocate(prisoner, poms["probation"], homd_user, override_reason="continuity")


def test_remove_co_worker_emails_both_and_ends_with_user_trigger(
    prison, poms, homd_user, django_capture_on_commit_callbacks
):
    prisoner = ready_case(prison=prison)
    _allocate(prisoner, poms["prison_a"], homd_user)
    add_co_worker(prisoner, poms["prison_b"], actor=homd_user)
    with django_capture_on_commit_callbacks(execute=True):
        removed = remove_co_worker(prisoner, actor=homd_user)
    assert removed.end_trigger == "user"
    assert sorted(e.to[0] for e in mail.outbox) == ["pa@justice.example.gov.uk", "pb@justice.example.gov.uk"]
    with pytest.raises(ValidationError, match="no co-working POM"):
        remove_co_worker(prisoner, actor=homd_user)
    assert AuditEvent.objects.filter(action="co_worker_removed").count() == 1


def test_deallocate_and_end_allocations_for(prison, poms, homd_user):
    prisoner = ready_case(prison=prison)
    primary = _allocate(prisoner, poms["prison_a"], homd_user)
    deallocate(primary, actor=homd_user)
    primary.refresh_from_db()
    assert primary.end_trigger == "user"
    with pytest.raises(AllocationConflict):
        deallocate(primary, actor=homd_user)
    _allocate(prisoner, poms["prison_b"], homd_user)
    add_co_worker(prisoner, poms["prison_a"], actor=homd_user)
    assert end_allocations_for(prisoner, "transfer", actor_label="import_prisoners") == 2
    assert end_allocations_for(prisoner, "transfer", actor_label="import_prisoners") == 0
    assert set(PomAllocation.objects.filter(end_trigger="transfer").values_list("role", flat=True)) == {
        "primary",
        "co_working",
    }
    assert AuditEvent.objects.filter(action="pom_deallocated", actor_label="import_prisoners").count() == 1
    with pytest.raises(ValidationError):
        end_allocations_for(prisoner, "nonsense")
