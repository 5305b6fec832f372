"""The nightly sweep: bulk, idempotent, only changed rows written, one bad case never stops it, locked, counted."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AuditEvent, Sentence
from handover.models import CalculatedHandover, CalculatedHandoverHistory, SweepRun
from handover.services import stored as stored_module
from handover.services import sweep as sweep_module
from handover.services.sweep import CACHE_LOCK_KEY, SweepLocked, sweep
from tests.factories import PrisonerFactory, PrisonFactory, SentenceFactory
from tests.factories.handover import handover_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _cases(n, prison=None, start=6, step=1):
    return [handover_case(prison=prison, release_in=relativedelta(months=start + i * step)).pk for i in range(n)]


def test_every_case_with_probation_records_is_computed_and_counted():
    numbers = _cases(4)
    no_case_information = PrisonerFactory()
    SentenceFactory(prisoner=no_case_information)
    run = sweep(today=TODAY)
    assert (run.computed, run.changed, run.errors) == (4, 4, 0)
    assert run.finished_at is not None
    assert run.calculated_on == TODAY
    assert set(CalculatedHandover.objects.values_list("pk", flat=True)) == set(numbers)
    assert CalculatedHandoverHistory.objects.filter(trigger="sweep").count() == 4
    assert AuditEvent.objects.filter(action="handover_recalculated", actor_label="handover sweep").count() == 4


def test_a_second_sweep_changes_nothing():
    _cases(3)
    sweep(today=TODAY)
    rows = {h.pk: (h.last_changed_at, h.handover_date) for h in CalculatedHandover.objects.all()}
    run = sweep(today=TODAY)
    assert (run.computed, run.changed, run.errors) == (3, 0, 0)
    assert rows == {h.pk: (h.last_changed_at, h.handover_date) for h in CalculatedHandover.objects.all()}
    assert CalculatedHandoverHistory.objects.count() == 3
    assert AuditEvent.objects.filter(action="handover_recalculated").count() == 3
    assert SweepRun.objects.count() == 2


def test_only_the_changed_rows_are_written():
    numbers = _cases(3)
    sweep(today=TODAY)
    # A bulk update sends no signals, so only the sweep notices this change.
    Sentence.objects.filter(prisoner_id=numbers[1]).update(conditional_release_date=TODAY + relativedelta(years=3))
    run = sweep(today=TODAY)
    assert (run.computed, run.changed) == (3, 1)
    assert CalculatedHandoverHistory.objects.filter(prisoner_id=numbers[1]).count() == 2
    assert CalculatedHandover.objects.get(pk=numbers[1]).earliest_release_date == TODAY + relativedelta(years=3)


def test_the_days_passing_change_responsibility_in_the_sweep():
    [number] = _cases(1, start=10)
    sweep(today=TODAY)
    handover_date = CalculatedHandover.objects.get(pk=number).handover_date
    run = sweep(today=handover_date)
    assert run.changed == 1
    assert CalculatedHandover.objects.get(pk=number).responsibility == "Community"


def test_a_case_whose_calculation_fails_is_counted_and_the_sweep_goes_on(monkeypatch, caplog):
    numbers = _cases(3)
    real = sweep_module.calculate

    def calculate(facts, as_of, policy=None):
        if facts.conditional_release_date == TODAY + relativedelta(months=7):
            raise ValueError("a broken case")
        return real(facts, as_of, policy)

    monkeypatch.setattr(sweep_module, "calculate", calculate)
    run = sweep(today=TODAY)
    assert (run.computed, run.changed, run.errors) == (2, 2, 1)
    assert not CalculatedHandover.objects.filter(pk=numbers[1]).exists()
    assert "the calculation failed for " + numbers[1] in caplog.text


def test_a_row_the_database_refuses_costs_one_case_not_the_chunk(monkeypatch):
    numbers = _cases(3)
    real = stored_module.result_values

    def result_values(facts, result):
        values = real(facts, result)
        if facts.conditional_release_date == TODAY + relativedelta(months=8):  # start after handover: a check fails
            values["handover_start_date"] = values["handover_date"] + dt.timedelta(days=1)
        return values

    monkeypatch.setattr(stored_module, "result_values", result_values)
    run = sweep(today=TODAY)
    assert (run.computed, run.changed, run.errors) == (2, 2, 1)
    assert set(CalculatedHandover.objects.values_list("pk", flat=True)) == {numbers[0], numbers[1]}
    assert CalculatedHandoverHistory.objects.count() == 2


def test_one_prison_only():
    leeds, moorland = PrisonFactory(code="LEI"), PrisonFactory(code="MDI")
    _cases(2, prison=leeds)
    _cases(3, prison=moorland)
    run = sweep(today=TODAY, prison_code="MDI")
    assert (run.prison_id, run.computed) == ("MDI", 3)
    assert CalculatedHandover.objects.filter(prisoner__prison=leeds).count() == 0


def test_chunks_inside_a_prison_cover_everyone_once():
    _cases(7)
    run = sweep(today=TODAY, chunk_size=3)
    assert (run.computed, run.changed) == (7, 7)
    assert CalculatedHandover.objects.count() == 7


def test_the_number_of_queries_does_not_grow_with_the_prisoners(django_assert_num_queries):
    small, large = PrisonFactory(code="LEI"), PrisonFactory(code="MDI")
    _cases(2, prison=small, start=18, step=0)  # the same shape of case, so the same kinds of write
    _cases(40, prison=large, start=18, step=0)
    # Webhook subscriptions (integration) are read once and cached for a minute: a one-off read, not growth.
    from integration.webhook_services import subscriptions_wanting

    subscriptions_wanting("handover.changed")
    counts = {}
    for label, prison in (("small", small), ("large", large)):
        with CaptureQueriesContext(connection) as new:
            assert sweep(today=TODAY, prison_code=prison.code).changed in (2, 40)
        with CaptureQueriesContext(connection) as steady:
            assert sweep(today=TODAY, prison_code=prison.code).changed == 0
        Sentence.objects.filter(prisoner__prison=prison).update(automatic_release_date=TODAY + relativedelta(months=20))
        with CaptureQueriesContext(connection) as changed:
            assert sweep(today=TODAY, prison_code=prison.code).changed in (2, 40)
        counts[label] = (len(new), len(steady), len(changed))
    assert counts["small"] == counts["large"]
    with django_assert_num_queries(counts["small"][1]):  # pinned: a steady night for 40 cases as for 2
        sweep(today=TODAY, prison_code="MDI")


def test_a_sweep_does_not_start_while_another_holds_the_lock():
    _cases(1)
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL lock is tested by test_the_advisory_lock_keeps_two_sweeps_apart")
    cache.add(CACHE_LOCK_KEY, "another sweep")
    with pytest.raises(SweepLocked):
        sweep(today=TODAY)
    assert not SweepRun.objects.exists()
    with pytest.raises(CommandError, match="another handover sweep is running"):
        call_command("handover_sweep", "--no-progress")
    cache.delete(CACHE_LOCK_KEY)
    assert sweep(today=TODAY).computed == 1
    assert cache.get(CACHE_LOCK_KEY) is None  # released afterwards


@pytest.mark.postgres
def test_the_advisory_lock_keeps_two_sweeps_apart():
    import psycopg

    _cases(1)
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )
    try:
        assert other.execute("SELECT pg_try_advisory_lock(%s)", [sweep_module.ADVISORY_LOCK_KEY]).fetchone()[0]
        with pytest.raises(SweepLocked):
            sweep(today=TODAY)
        other.execute("SELECT pg_advisory_unlock(%s)", [sweep_module.ADVISORY_LOCK_KEY])
        assert sweep(today=TODAY).computed == 1
        # Released afterwards: the other session can take it again.
        assert other.execute("SELECT pg_try_advisory_lock(%s)", [sweep_module.ADVISORY_LOCK_KEY]).fetchone()[0]
    finally:
        other.close()


def test_the_sweep_raises_and_resolves_alerts():
    [number] = _cases(1, start=9)  # handover date about 2 weeks away, no COM
    sweep(today=TODAY)
    assert list(CalculatedHandover.objects.get(pk=number).prisoner.alerts.values_list("kind", flat=True)) == [
        "handover_upcoming"
    ]


def test_handover_sweep_command_prints_the_counts(capsys):
    _cases(2, prison=PrisonFactory(code="LEI"))
    call_command("handover_sweep", "--no-progress")
    assert "2 computed, 2 changed, 0 errors" in capsys.readouterr().out
    call_command("handover_sweep", "--prison", "lei")
    captured = capsys.readouterr()
    assert "2 computed, 0 changed, 0 errors" in captured.out
    with pytest.raises(CommandError, match="No prison"):
        call_command("handover_sweep", "--prison", "QQQ", "--no-progress")


@pytest.mark.parametrize("where", ["calculate", "alerts_sync"])
def test_the_soft_time_limit_stops_the_chunk_and_is_not_counted_as_a_case_error(monkeypatch, where):
    from celery.exceptions import SoftTimeLimitExceeded

    prison = PrisonFactory()
    numbers = _cases(2, prison=prison)

    def out_of_time(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(sweep_module, where, out_of_time)
    with pytest.raises(SoftTimeLimitExceeded):
        sweep_module.sweep_chunk(prison.code, (min(numbers), max(numbers)), today=TODAY)
