"""Handover emails: sent once after the commit, opt-outs honoured, each logged as a SentEmail; LDU throttle 2 days."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cases.models import SentEmail
from handover.services.notifications import ldu_assign_com_send, ldu_pipeline_send, pom_reminders_send
from tests.factories import CommunityOffenderManagerFactory, LocalDeliveryUnitFactory
from tests.factories.handover import (
    HandoverEmailPreferenceFactory,
    PrimaryPomFactory,
    StoredHandoverFactory,
    handover_case,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


def _case(days_to_handover, *, com=None, **stored):
    prisoner = handover_case(release_in=relativedelta(years=2), com=com)
    StoredHandoverFactory(prisoner=prisoner, handover_date=TODAY + dt.timedelta(days=days_to_handover), **stored)
    allocation = PrimaryPomFactory(prisoner=prisoner)
    return prisoner, allocation.pom.user


def _send(django_capture_on_commit_callbacks, send, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return send(today=TODAY, **kwargs)


def test_the_pom_is_told_8_weeks_before_once(django_capture_on_commit_callbacks):
    prisoner, pom = _case(56)
    _case(57)  # not yet
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert pom_reminders_send(today=TODAY) == 1
    assert mail.outbox == []  # sent only after the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [pom.email]
    assert message.subject.startswith(f"Handover in 8 weeks: {prisoner.full_name} ({prisoner.pk})")
    logged = SentEmail.objects.get()
    assert (logged.kind, logged.to, logged.prisoner_id, logged.subject) == (
        "handover_upcoming",
        pom.email,
        prisoner.pk,
        message.subject,
    )
    assert _send(django_capture_on_commit_callbacks, pom_reminders_send) == 0  # once only
    assert len(mail.outbox) == 1


def test_on_the_day_and_14_days_overdue_without_a_com(django_capture_on_commit_callbacks):
    on_the_day, _ = _case(0)
    overdue, _ = _case(-14)
    _case(-14, com=CommunityOffenderManagerFactory())  # a COM is allocated: no overdue email
    _case(-13)
    assert _send(django_capture_on_commit_callbacks, pom_reminders_send) == 2
    kinds = dict(SentEmail.objects.values_list("prisoner_id", "kind"))
    assert kinds == {on_the_day.pk: "handover_date", overdue.pk: "com_allocation_overdue"}


def test_a_missed_day_is_caught_up_within_a_week(django_capture_on_commit_callbacks):
    _case(56 - 6)
    _case(56 - 7)
    assert _send(django_capture_on_commit_callbacks, pom_reminders_send) == 1


def test_opt_outs_are_honoured(django_capture_on_commit_callbacks):
    _, pom = _case(56)
    HandoverEmailPreferenceFactory(user=pom, upcoming_handover=False)
    _, other = _case(0)
    HandoverEmailPreferenceFactory(user=other, upcoming_handover=False)  # opted out of another email only
    assert _send(django_capture_on_commit_callbacks, pom_reminders_send) == 1
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_no_pom_no_email(django_capture_on_commit_callbacks):
    prisoner = handover_case(release_in=relativedelta(years=2))
    StoredHandoverFactory(prisoner=prisoner, handover_date=TODAY + dt.timedelta(days=56))
    assert _send(django_capture_on_commit_callbacks, pom_reminders_send) == 0


def test_pom_reminders_take_a_few_queries_however_many_cases(django_assert_num_queries):
    for days in (56, 0, -14):
        _case(days)
    with django_assert_num_queries(7):  # handovers, POMs, preferences, sent log; savepoint, insert, savepoint
        assert pom_reminders_send(today=TODAY) == 3


def _short_case(ldu=None):
    ldu = ldu or LocalDeliveryUnitFactory()
    prisoner = handover_case(release_in=relativedelta(years=2), ldu=ldu)
    StoredHandoverFactory(
        prisoner=prisoner,
        reason="determinate_short",
        responsibility="Community",
        handover_date=None,
        handover_start_date=None,
        handover_type="none",
        earliest_release_date=TODAY + relativedelta(months=5),
    )
    return prisoner, ldu


def test_the_ldu_is_asked_to_assign_a_com_at_most_every_2_days(django_capture_on_commit_callbacks):
    prisoner, ldu = _short_case()
    _short_case(LocalDeliveryUnitFactory(email=""))  # no mailbox: nothing to send
    start = timezone.now()
    assert _send(django_capture_on_commit_callbacks, ldu_assign_com_send, now=start) == 1
    [message] = mail.outbox
    assert message.to == [ldu.email]
    assert "Assign a COM" in message.subject
    assert SentEmail.objects.get().kind == "ldu_assign_com"
    later = start + dt.timedelta(days=1, hours=23)
    assert _send(django_capture_on_commit_callbacks, ldu_assign_com_send, now=later) == 0
    later = start + dt.timedelta(days=2, minutes=1)
    assert _send(django_capture_on_commit_callbacks, ldu_assign_com_send, now=later) == 1
    prisoner.case_information.com = CommunityOffenderManagerFactory()
    prisoner.case_information.save()
    later = start + dt.timedelta(days=5)
    assert _send(django_capture_on_commit_callbacks, ldu_assign_com_send, now=later) == 0  # a COM now


def test_the_monthly_pipeline_goes_to_each_delivery_unit_once(django_capture_on_commit_callbacks):
    first = dt.date(2026, 12, 1)
    leeds, durham = LocalDeliveryUnitFactory(code="N07LEEDS"), LocalDeliveryUnitFactory(code="N54DURHAM")
    soon = handover_case(release_in=relativedelta(years=2), ldu=leeds)
    StoredHandoverFactory(prisoner=soon, handover_date=first + dt.timedelta(days=44))
    later = handover_case(release_in=relativedelta(years=2), ldu=leeds)
    StoredHandoverFactory(prisoner=later, handover_date=first + dt.timedelta(days=45))  # beyond 45 days
    StoredHandoverFactory(
        prisoner=handover_case(release_in=relativedelta(years=2), ldu=durham), handover_date=first + dt.timedelta(3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert ldu_pipeline_send(today=first) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    [(name, content, mimetype)] = by_to[leeds.email].attachments
    assert (name, mimetype) == ("handover-pipeline-N07LEEDS-2026-12-01.csv", "text/csv")
    assert soon.pk in content
    assert later.pk not in content
    assert content.splitlines()[0].startswith("prison number,name,prison,handover start date")
    assert SentEmail.objects.filter(kind="ldu_pipeline", prisoner__isnull=True).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert ldu_pipeline_send(today=first + dt.timedelta(days=1)) == 0  # once a month


def test_the_commands(django_capture_on_commit_callbacks, capsys):
    _case(56)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("handover_reminders")
        call_command("ldu_pipeline_email")
    out = capsys.readouterr().out
    assert "POM emails" in out
    assert "alerts raised" in out
    assert "pipeline emails sent" in out
