"""Quality checks: the monthly random sample (size per prison), rating against the checklist, feedback the key worker
reads, and the results per key worker."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from keywork.models import QualityCheck, QualityCheckSettings, QualitySample, SessionType
from keywork.models.recording import DEFAULT_SAMPLE_SIZE
from keywork.recording_quality_services import (
    quality_check_rate,
    quality_feedback_mark_seen,
    quality_sample_draw,
    quality_samples_draw_all,
    quality_settings_update,
)
from keywork.recording_selectors import quality_feedback_for_key_worker, quality_results_by_key_worker
from tests.factories import PrisonerFactory, UserFactory
from tests.factories.keywork_recording import KeyworkSessionFactory, QualityCheckFactory, at_noon, key_worker_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)
OCTOBER, NOVEMBER = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
NOW = at_noon(TODAY)


def _entries(prison, key_worker, count, *, month=NOVEMBER, **kwargs):
    prisoner = PrisonerFactory(prison=prison)
    return [
        KeyworkSessionFactory(
            prisoner=prisoner, key_worker=key_worker, session_date=month + dt.timedelta(days=n % 28), **kwargs
        )
        for n in range(count)
    ]


@pytest.fixture
def workers(prison):
    return key_worker_user(prison=prison, username="kw1"), key_worker_user(prison=prison, username="kw2")


def test_each_key_worker_gets_the_prisons_sample_size_or_all_their_entries(prison, workers):
    busy, quiet = workers
    busy_entries = _entries(prison, busy, 10)
    _entries(prison, busy, 4, session_type=SessionType.ENTRY)  # entries and attempts count too
    quiet_entries = _entries(prison, quiet, 2)
    drawn = quality_sample_draw(prison=prison, month=NOVEMBER, today=TODAY, now=NOW)
    assert len(drawn) == 2
    busy_sample = QualitySample.objects.get(key_worker=busy)
    assert (busy_sample.entry_count, busy_sample.sample_size, busy_sample.checks.count()) == (
        14,
        DEFAULT_SAMPLE_SIZE,
        3,
    )
    assert {c.session.key_worker for c in busy_sample.checks.all()} == {busy}
    quiet_sample = QualitySample.objects.get(key_worker=quiet)
    assert {c.session for c in quiet_sample.checks.all()} == set(quiet_entries)
    assert set(c.session for c in busy_sample.checks.all()) <= set(busy_entries) | set(
        s for s in busy.keywork_sessions_held.all()
    )


def test_the_sample_size_is_set_per_prison(prison, other_prison, workers):
    busy, _ = workers
    quality_settings_update(prison=prison, sample_size=5, actor=None)
    _entries(prison, busy, 12)
    quality_sample_draw(prison=prison, month=NOVEMBER, today=TODAY, now=NOW)
    assert QualityCheck.objects.filter(sample__key_worker=busy).count() == 5
    assert QualityCheckSettings.objects.get(prison=prison).sample_size == 5
    with pytest.raises(ValidationError):
        quality_settings_update(prison=other_prison, sample_size=0, actor=None)


def test_only_the_months_entries_at_this_prison_are_sampled(prison, other_prison, workers):
    busy, _ = workers
    november = _entries(prison, busy, 2)
    _entries(prison, busy, 3, month=OCTOBER)
    _entries(other_prison, busy, 3)
    quality_sample_draw(prison=prison, month=NOVEMBER, today=TODAY, now=NOW)
    assert {c.session for c in QualityCheck.objects.all()} == set(november)


def test_drawing_again_adds_nothing_and_the_current_month_cannot_be_drawn(prison, workers):
    _entries(prison, workers[0], 8)
    first = quality_sample_draw(prison=prison, month=NOVEMBER, today=TODAY, now=NOW)
    chosen = set(QualityCheck.objects.values_list("session_id", flat=True))
    assert quality_sample_draw(prison=prison, month=NOVEMBER, today=TODAY, now=NOW) == []
    assert set(QualityCheck.objects.values_list("session_id", flat=True)) == chosen
    assert len(first) == 1
    with pytest.raises(ValidationError) as error:
        quality_sample_draw(prison=prison, month=dt.date(2026, 12, 1), today=TODAY, now=NOW)
    assert "month" in error.value.message_dict


def test_the_database_allows_one_sample_per_key_worker_and_month(prison, workers):
    QualitySample.objects.create(
        prison=prison, key_worker=workers[0], month=NOVEMBER, entry_count=1, sample_size=3, drawn_at=NOW
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        QualitySample.objects.create(
            prison=prison, key_worker=workers[0], month=NOVEMBER, entry_count=1, sample_size=3, drawn_at=NOW
        )


def test_the_monthly_job_and_command_draw_last_month(prison, workers, capsys):
    _entries(prison, workers[0], 4)
    assert quality_samples_draw_all(month=NOVEMBER, today=TODAY, now=NOW) == {prison.code: 1}
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=ZoneInfo("Europe/London")), tick=False):
        call_command("keywork_quality_sample", "--prison", prison.code, "--month", "2026-11")
    assert f"{prison.code} 2026-11: 0 key workers sampled, 0 entries" in capsys.readouterr().out


def _rate(check, reviewer, **answers):
    values = {"links_to_plan": "yes", "clear_next_step": "yes", "risk_information_passed": "not_applicable"}
    return quality_check_rate(
        check=check, reviewer=reviewer, now=NOW, feedback="Good next steps.", **(values | answers)
    )


def test_a_check_is_rated_and_the_key_worker_reads_the_feedback(prison, homd_user):
    check = QualityCheckFactory(sample__prison=prison)
    _rate(check, homd_user, clear_next_step="no")
    check.refresh_from_db()
    assert check.is_rated
    assert not check.meets_checklist
    assert check.reviewer == homd_user
    key_worker = check.session.key_worker
    assert quality_feedback_for_key_worker(user=key_worker, prison=prison) == [check]
    with pytest.raises(ValidationError):
        quality_feedback_mark_seen(check=check, user=homd_user, now=NOW)
    quality_feedback_mark_seen(check=check, user=key_worker, now=NOW)
    check.refresh_from_db()
    assert check.seen_by_key_worker_at == NOW
    _rate(check, homd_user)  # rated again: the feedback is new to the key worker again
    check.refresh_from_db()
    assert check.seen_by_key_worker_at is None
    assert check.meets_checklist


def test_a_reviewer_cannot_rate_their_own_entries_and_every_answer_is_needed(prison):
    check = QualityCheckFactory(sample__prison=prison)
    with pytest.raises(ValidationError):
        _rate(check, check.session.key_worker)
    with pytest.raises(ValidationError) as error:
        _rate(check, UserFactory(), links_to_plan="")
    assert "links_to_plan" in error.value.message_dict


def test_the_database_refuses_a_rating_without_answers(prison):
    check = QualityCheckFactory(sample__prison=prison)
    check.rated_at = NOW
    with pytest.raises(IntegrityError), transaction.atomic():
        check.save()


def test_the_results_per_key_worker(prison, homd_user):
    first = QualityCheckFactory(
        sample__prison=prison, sample__key_worker__first_name="Ann", sample__key_worker__last_name="Able"
    )
    sample = first.sample
    second = QualityCheckFactory(sample=sample)
    third = QualityCheckFactory(sample=sample)
    QualityCheckFactory(sample=sample)  # not rated yet
    _rate(first, homd_user)
    _rate(second, homd_user, links_to_plan="no")
    _rate(third, homd_user, risk_information_passed="yes", links_to_plan="not_applicable")
    other = QualityCheckFactory(sample__prison=prison, sample__month=NOVEMBER, sample__key_worker__last_name="Zed")
    _rate(other, homd_user)
    (result,) = quality_results_by_key_worker(prison=prison, first_month=OCTOBER, last_month=OCTOBER)
    assert (result["key_worker_name"], result["sampled"], result["rated"]) == ("Ann Able", 4, 3)
    assert (result["meets_all"], result["meets_all_percent"]) == (2, 67)
    items = {i["name"]: (i["yes"], i["applicable"], i["percent"]) for i in result["items"]}
    assert items == {
        "links_to_plan": (1, 2, 50),
        "clear_next_step": (3, 3, 100),
        "risk_information_passed": (1, 1, 100),
    }
    both = quality_results_by_key_worker(prison=prison, first_month=OCTOBER, last_month=NOVEMBER)
    assert [r["key_worker_name"].split()[-1] for r in both] == ["Able", "Zed"]
