"""The daily snapshot of each prison's OMiC measures: the figures, a re-run, a failing prison, the job and command."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from allocation.list_selectors import TO_ALLOCATE, allocation_list
from casework.models import CaseTask, TaskKind, TaskStatus
from dashboards import national_services
from dashboards.dashboard_selectors import homd_dashboard
from dashboards.models import PrisonMeasureSnapshot
from dashboards.national_services import measures_snapshot_all, measures_snapshot_record
from dashboards.tasks import measures_snapshot
from tests.dashboards.dashboard_setup import make_unit
from tests.factories import PrisonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(prison, settings):
    settings.POM_CAPACITY_PER_FTE = "1.4"
    return make_unit(prison)


def _task(prisoner, kind, due, status=TaskStatus.DUE, done=None, occurrence=""):
    return CaseTask.objects.create(
        prisoner=prisoner,
        kind=kind,
        due_date=due,
        status=status,
        completed_on=done,
        occurrence=occurrence,
        not_needed_reason="Transferred" if status == TaskStatus.NOT_NEEDED else "",
    )


def test_the_snapshot_records_each_measure_as_the_unit_dashboard_counts_it(prison, unit):
    today = timezone.localdate()
    a, b, c, d = unit["allocated"]
    days = dt.timedelta
    _task(a, TaskKind.HANDOVER_MEETING, today - days(20), TaskStatus.DONE, today - days(25))  # on time
    _task(b, TaskKind.HANDOVER_MEETING, today - days(20), TaskStatus.DONE, today - days(2))  # late
    _task(c, TaskKind.HANDOVER_MEETING, today - days(1))  # due, not held
    _task(d, TaskKind.HANDOVER_MEETING, today - days(5), TaskStatus.NOT_NEEDED)  # left out
    _task(d, TaskKind.HANDOVER_MEETING, today + days(5), occurrence="next")  # not due yet
    _task(a, TaskKind.HANDOVER_MEETING, today - days(400), occurrence="old")  # more than 12 months ago
    _task(a, TaskKind.INITIAL_OASYS, today - days(3))
    _task(b, TaskKind.OASYS_REVIEW, today - days(3))
    _task(c, TaskKind.LISP1, today - days(3))  # overdue, but not an OASys

    snapshot = measures_snapshot_record(prison=prison, today=today)

    assert snapshot.date == today
    assert snapshot.prisoners == 7
    assert (snapshot.handover_meetings_due, snapshot.handover_meetings_on_time) == (3, 1)
    assert snapshot.handover_meeting_percent == Decimal("33.3")
    assert snapshot.oasys_overdue == 2
    assert snapshot.unallocated == 2 == allocation_list(prison=prison, which=TO_ALLOCATE).count()
    assert snapshot.unallocated_median_wait_days == Decimal("5.0")  # 10 days and 0 days
    assert snapshot.missing_details == 1
    assert snapshot.poms == 3
    assert snapshot.pom_fte == Decimal("2.5")
    assert snapshot.load_per_fte_median == Decimal("1.5")  # 0.7, 1.5 and 3.4 per FTE
    assert snapshot.load_per_fte_max == Decimal("3.40")
    assert snapshot.poms_over_capacity == 2
    board = homd_dashboard(prison=prison, today=today)
    assert snapshot.com_allocation_overdue == board.tile("handover_com_overdue").count == 1
    assert snapshot.poms_over_capacity == board.tile("poms_over_capacity").count
    assert snapshot.unallocated == board.tile("to_allocate").count


def test_key_work_delivery_is_sessions_held_of_those_projected(prison, unit):
    from tests.factories.keywork import KeyworkConfigurationFactory

    KeyworkConfigurationFactory(prison=prison, is_enabled=True)
    snapshot = measures_snapshot_record(prison=prison, today=timezone.localdate())
    assert snapshot.keywork_projected > 0
    assert snapshot.keywork_sessions == 0
    assert snapshot.keywork_delivery_percent == Decimal("0.0")


def test_with_nothing_to_measure_the_figure_is_empty_not_zero(prison):
    from tests.factories.keywork import KeyworkConfigurationFactory

    KeyworkConfigurationFactory(prison=prison, is_enabled=False)
    snapshot = measures_snapshot_record(prison=prison, today=timezone.localdate())
    assert snapshot.keywork_delivery_percent is None
    assert snapshot.handover_meeting_percent is None
    assert snapshot.unallocated_median_wait_days is None
    assert snapshot.load_per_fte_median is None


def test_recording_the_day_again_replaces_its_row(prison, unit):
    today = timezone.localdate()
    first = measures_snapshot_record(prison=prison, today=today)
    unit["to_allocate"][0].delete()
    second = measures_snapshot_record(prison=prison, today=today)
    assert PrisonMeasureSnapshot.objects.filter(prison=prison).count() == 1
    assert second.pk == first.pk
    assert second.unallocated == first.unallocated - 1
    assert second.refreshed_at >= first.refreshed_at


def test_one_prison_failing_does_not_stop_the_others(prison, other_prison, unit, monkeypatch):
    real = national_services.prison_measures

    def broken_for_moorland(*, prison, today):
        if prison.code == "MDI":
            raise ValueError("bad data")
        return real(prison=prison, today=today)

    monkeypatch.setattr(national_services, "prison_measures", broken_for_moorland)
    result = measures_snapshot_all(today=timezone.localdate())
    assert result == {"recorded": 1, "failed": 1}
    assert list(PrisonMeasureSnapshot.objects.values_list("prison_id", flat=True)) == ["LEI"]


def test_the_database_refuses_more_meetings_on_time_than_due(prison):
    with pytest.raises(IntegrityError), transaction.atomic():
        PrisonMeasureSnapshot.objects.create(
            prison=prison, date=timezone.localdate(), refreshed_at=timezone.now(),
            handover_meetings_due=1, handover_meetings_on_time=2,
        )  # fmt: skip


def test_the_database_refuses_a_second_row_for_the_same_day(prison):
    PrisonMeasureSnapshot.objects.create(prison=prison, date=timezone.localdate(), refreshed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PrisonMeasureSnapshot.objects.create(prison=prison, date=timezone.localdate(), refreshed_at=timezone.now())


def test_the_job_records_every_prison(prison, other_prison):
    assert measures_snapshot() == {"recorded": 2, "failed": 0}
    assert PrisonMeasureSnapshot.objects.filter(date=timezone.localdate()).count() == 2


def test_the_command_shows_progress_and_a_summary(prison, other_prison):
    out, err = StringIO(), StringIO()
    call_command("measures_snapshot", stdout=out, stderr=err)
    assert f"OMiC measures for {timezone.localdate()}: 2 prisons recorded, 0 failed" in out.getvalue()
    assert "2/2" in err.getvalue()  # the tqdm bar


def test_the_command_can_record_one_prison(prison, other_prison):
    out = StringIO()
    call_command("measures_snapshot", "--prison", "lei", "--no-progress", stdout=out)
    assert "1 prison recorded" in out.getvalue()
    assert list(PrisonMeasureSnapshot.objects.values_list("prison_id", flat=True)) == ["LEI"]


def test_the_command_refuses_an_unknown_prison(prison):
    with pytest.raises(CommandError, match="No prison has the code ZZZ"):
        call_command("measures_snapshot", "--prison", "ZZZ")


def test_the_command_fails_loudly_when_a_prison_fails(prison, monkeypatch):
    def broken(**kwargs):
        raise ValueError("bad data")

    monkeypatch.setattr(national_services, "prison_measures", broken)
    with pytest.raises(CommandError, match="1 prisons could not be recorded"):
        call_command("measures_snapshot", "--no-progress", stdout=StringIO())


def test_the_schedule_runs_the_fanned_out_job_after_the_handover_sweep():
    from omic.schedules import SCHEDULES

    by_task = {s.task: s for s in SCHEDULES}
    job, sweep = by_task["dashboards.measures_snapshot_dispatch"], by_task["handover.sweep"]
    assert int(job.crontab["hour"]) > int(sweep.crontab["hour"])
    assert job.queue == "recalc"
    assert "dashboards.measures_snapshot" not in by_task  # the in-process job is for the command, not beat


def test_prisons_are_kept_apart(prison, unit):
    quiet = PrisonFactory(code="BRI", name="HMP Bristol")
    snapshot = measures_snapshot_record(prison=quiet, today=timezone.localdate())
    assert (snapshot.prisoners, snapshot.unallocated, snapshot.poms) == (0, 0, 0)
