"""The nightly end-of-transfer job and its command, and the workload weights setting reaching the pages."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from allocation.selectors import pom_workload_list
from allocation.services import allocations_end_for_transfers
from allocation.tasks import end_transfers
from cases.models import AuditEvent, PomAllocation
from tests.factories.allocation import PomAllocationFactory, ready_case

pytestmark = pytest.mark.django_db


def test_a_transferred_case_loses_its_allocations_with_the_transfer_trigger(prison, other_prison, poms, capsys):
    moved = ready_case(prison=prison)
    stayed = ready_case(prison=prison)
    PomAllocationFactory(prisoner=moved, pom=poms["prison_a"])
    PomAllocationFactory(prisoner=moved, pom=poms["prison_b"], role="co_working")
    kept = PomAllocationFactory(prisoner=stayed, pom=poms["prison_a"])
    moved.prison = other_prison  # as an import would
    moved.save()

    call_command("allocation_end_transfers")

    assert "2 allocations ended after a transfer" in capsys.readouterr().out
    assert set(PomAllocation.objects.filter(prisoner=moved).values_list("end_trigger", flat=True)) == {"transfer"}
    kept.refresh_from_db()
    assert kept.is_active
    assert AuditEvent.objects.filter(actor_label="manage.py allocation_end_transfers").count() == 2
    assert allocations_end_for_transfers() == 0  # idempotent
    assert end_transfers.apply().get() == 0


def test_the_weights_setting_changes_the_weighted_load(settings, prison, poms):
    PomAllocationFactory(prisoner=ready_case(prison=prison, tier="A"), pom=poms["probation"])
    today = timezone.localdate()
    (default,) = pom_workload_list(prison=prison, today=today, pom_ids=[poms["probation"].pk])
    assert default.load == Decimal("1.50")
    settings.ALLOCATION_WORKLOAD_WEIGHTS = {"responsible": {"A": 2}}
    (changed,) = pom_workload_list(prison=prison, today=today, pom_ids=[poms["probation"].pk])
    assert changed.load == Decimal("2.00")


def test_a_worker_registers_the_staff_pages_tasks_through_allocation_tasks():
    """Celery autodiscovers ``allocation.tasks`` only: in a fresh process (nothing else imported), loading the
    worker's task modules must register the bulk reallocation email task too."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'omic.settings'); django.setup()\n"
        "assert 'allocation.staff_tasks' not in sys.modules\n"
        "from omic.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(sorted(n for n in app.tasks if n.startswith('allocation.')))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert "allocation.bulk_reallocation_email_send" in out
    assert "allocation.pom_email_send" in out
