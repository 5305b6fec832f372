"""Issue #4: a transfer, a release or a legal status outside OMiC allocation, made through an import (or any save of
the prisoner record), ends the case's POM allocations after commit with the right trigger."""

import csv

import pytest
from django.core.management import call_command
from django.db import transaction

from allocation import signals as allocation_signals
from allocation.calculations import OMIC_ALLOCATION_LEGAL_STATUSES, RELEASED, allocation_end_trigger
from allocation.services import allocations_end_after_change
from cases.models import AuditEvent, PomAllocation, Prisoner, SentEmail
from tests.factories.allocation import PomAllocationFactory, ready_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("before", "after", "trigger"),
    [
        (("LEI", "sentenced"), ("LEI", RELEASED), "release"),
        (("LEI", "sentenced"), ("MDI", RELEASED), "release"),
        (("LEI", "sentenced"), ("MDI", "sentenced"), "transfer"),
        (("LEI", "sentenced"), ("MDI", "convicted_unsentenced"), "transfer"),
        (("LEI", "sentenced"), ("LEI", "convicted_unsentenced"), "legal_status"),
        (("LEI", "remand"), ("LEI", "sentenced"), None),  # sentenced on remand: keeps the POM
        (("LEI", "sentenced"), ("LEI", "remand"), None),  # D-13: remand may hold a POM
        (("LEI", "sentenced"), ("LEI", "civil"), None),
        (("LEI", "sentenced"), ("LEI", "recall"), None),
        (("LEI", "sentenced"), ("LEI", "sentenced"), None),
        (("LEI", "convicted_unsentenced"), ("LEI", "convicted_unsentenced"), None),
        (("LEI", RELEASED), ("LEI", RELEASED), None),
    ],
)
def test_the_trigger_for_a_change(before, after, trigger):
    assert (
        allocation_end_trigger(
            prison_before=before[0], prison_after=after[0], status_before=before[1], status_after=after[1]
        )
        == trigger
    )


def test_the_allowed_statuses_are_real_legal_statuses():
    assert set(Prisoner.LegalStatus.values) > OMIC_ALLOCATION_LEGAL_STATUSES
    assert set(Prisoner.LegalStatus.values) - OMIC_ALLOCATION_LEGAL_STATUSES == {"convicted_unsentenced"}


@pytest.fixture
def allocated(prison, poms):
    prisoner = ready_case(prison=prison, tier="C")
    primary = PomAllocationFactory(prisoner=prisoner, pom=poms["prison_a"])
    co_worker = PomAllocationFactory(prisoner=prisoner, pom=poms["prison_b"], role=PomAllocation.Role.CO_WORKING)
    return prisoner, primary, co_worker


def _triggers(prisoner):
    return sorted(
        (a.role, a.end_trigger)
        for a in PomAllocation.objects.filter(prisoner=prisoner).order_by("role")
        if not a.is_active
    )


def _ours(callbacks):
    """The after-commit callbacks allocation queued (handover queues its recalculation beside them)."""
    return [c for c in callbacks if getattr(c, "func", None) is allocation_signals.allocations_end]


def _save(prisoner, django_capture_on_commit_callbacks, **values):
    fresh = Prisoner.objects.get(pk=prisoner.pk)  # loaded as an import or a form would load it
    for name, value in values.items():
        setattr(fresh, name, value)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fresh.save()
    return _ours(callbacks)


def test_a_move_to_another_prison_ends_both_allocations_with_transfer(
    allocated, other_prison, django_capture_on_commit_callbacks
):
    prisoner, primary, _ = allocated
    callbacks = _save(prisoner, django_capture_on_commit_callbacks, prison=other_prison)
    assert len(callbacks) == 1
    assert _triggers(prisoner) == [("co_working", "transfer"), ("primary", "transfer")]
    assert AuditEvent.objects.filter(action__in=["pom_deallocated", "co_worker_removed"]).count() == 2
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) >= {"prisoner record change"}
    assert SentEmail.objects.filter(kind="allocation_deallocated").count() == 2


def test_a_legal_status_outside_omic_allocation_ends_them_with_legal_status(
    allocated, django_capture_on_commit_callbacks
):
    prisoner, _, _ = allocated
    _save(prisoner, django_capture_on_commit_callbacks, legal_status="convicted_unsentenced")
    assert _triggers(prisoner) == [("co_working", "legal_status"), ("primary", "legal_status")]


@pytest.mark.parametrize("status", ["remand", "civil", "recall", "immigration_detainee"])
def test_a_status_inside_omic_allocation_keeps_them(allocated, django_capture_on_commit_callbacks, status):
    prisoner, _, _ = allocated
    assert _save(prisoner, django_capture_on_commit_callbacks, legal_status=status) == []
    assert PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True).count() == 2


def test_other_changes_and_a_new_prisoner_queue_nothing(prison, allocated, django_capture_on_commit_callbacks):
    prisoner, _, _ = allocated
    assert _save(prisoner, django_capture_on_commit_callbacks, cell_location="A-1-001", first_name="Al") == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ready_case(prison=prison, legal_status="convicted_unsentenced")
    assert _ours(callbacks) == []


def test_a_rolled_back_change_ends_nothing(allocated, other_prison, django_capture_on_commit_callbacks):
    prisoner, _, _ = allocated
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                fresh = Prisoner.objects.get(pk=prisoner.pk)
                fresh.prison = other_prison
                fresh.save()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert _ours(callbacks) == []
    assert PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True).count() == 2


def test_the_after_commit_end_checks_the_change_still_holds(allocated):
    prisoner, _, _ = allocated
    # Moved away and back before the callback ran: still held where the POMs work.
    assert allocations_end_after_change(prison_number=prisoner.pk, trigger="transfer") == 0
    assert allocations_end_after_change(prison_number=prisoner.pk, trigger="legal_status") == 0
    assert allocations_end_after_change(prison_number=prisoner.pk, trigger="release") == 0
    assert allocations_end_after_change(prison_number="Z9999ZZ", trigger="transfer") == 0
    assert PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True).count() == 2


def _import(tmp_path, rows, *args):
    path = tmp_path / "prisoners.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["prison_number", "first_name", "last_name", "prison", "legal_status"]
        )
        writer.writeheader()
        writer.writerows(rows)
    call_command("import_prisoners", str(path), "--no-progress", *args, stdout=None)


def _row(prisoner, **values):
    row = {
        "prison_number": prisoner.pk,
        "first_name": prisoner.first_name,
        "last_name": prisoner.last_name,
        "prison": prisoner.prison_id,
        "legal_status": prisoner.legal_status,
    }
    return {**row, **values}


def test_an_import_ends_allocations_with_the_right_trigger(
    tmp_path, prison, other_prison, poms, django_capture_on_commit_callbacks
):
    moved, unsentenced, unchanged = (ready_case(prison=prison, tier="C") for _ in range(3))
    for prisoner in (moved, unsentenced, unchanged):
        PomAllocationFactory(prisoner=prisoner, pom=poms["prison_a"])
    rows = [_row(moved, prison="MDI"), _row(unsentenced, legal_status="convicted_unsentenced"), _row(unchanged)]

    with django_capture_on_commit_callbacks(execute=True):
        _import(tmp_path, rows, "--dry-run")
    assert PomAllocation.objects.filter(ended_at__isnull=True).count() == 3  # a dry run ends nothing

    with django_capture_on_commit_callbacks(execute=True):
        _import(tmp_path, rows)
    assert _triggers(moved) == [("primary", "transfer")]
    assert _triggers(unsentenced) == [("primary", "legal_status")]
    assert _triggers(unchanged) == []
