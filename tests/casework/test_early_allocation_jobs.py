"""The daily reminder: a case assessed before the 18-month window gets one email to its POM once it is inside it;
the Celery task and the management command run the same service; the schedule has the job."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from cases.models import SentEmail
from casework.early_allocation_jobs import early_allocation_reminders
from casework.early_allocation_services import early_allocation_reminders_send
from omic.schedules import SCHEDULES
from tests.casework.early_allocation_setup import ea_case
from tests.factories.casework import EarlyAllocationFactory

pytestmark = pytest.mark.django_db


def _assessed_before_the_window(prisoner, **kwargs):
    return EarlyAllocationFactory(
        prisoner=prisoner,
        created_within_referral_window=False,
        created_at=timezone.now() - relativedelta(months=7),
        **kwargs,
    )


def test_the_pom_is_reminded_once_when_the_case_enters_the_window(prison, pom_user):
    today = timezone.localdate()
    inside = ea_case(prison=prison, pom_user=pom_user, release_in=relativedelta(months=18))
    _assessed_before_the_window(inside)
    outside = ea_case(prison=prison, release_in=relativedelta(months=18, days=1))  # a day outside the window
    _assessed_before_the_window(outside)
    ineligible = ea_case(prison=prison)
    _assessed_before_the_window(ineligible, outcome="ineligible", mappa_level_3=False)

    counts = early_allocation_reminders_send(today=today)
    assert counts == {"checked": 1, "reminded": 1, "no POM email": 0}
    email = SentEmail.objects.get()
    assert email.kind == "early_allocation_reminder"
    assert email.to == pom_user.email
    assert email.prisoner_id == inside.pk
    assert "assess the case for early allocation again" in email.body
    # Run again (a redelivered task, a second cron run): nothing more goes.
    assert early_allocation_reminders_send(today=today)["reminded"] == 0
    # The next day the other case enters the window, but it has no POM to remind.
    assert early_allocation_reminders_send(today=today + relativedelta(days=1)) == {
        "checked": 1,
        "reminded": 0,
        "no POM email": 1,
    }


def test_a_new_assessment_after_the_reminder_gets_its_own(prison, pom_user):
    today = timezone.localdate()
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    _assessed_before_the_window(prisoner)
    assert early_allocation_reminders_send(today=today)["reminded"] == 1
    EarlyAllocationFactory(prisoner=prisoner)  # assessed again inside the window: nothing to remind
    assert early_allocation_reminders_send(today=today)["checked"] == 0


def test_the_task_and_the_command_run_the_service(prison, pom_user, capsys):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    _assessed_before_the_window(prisoner)
    call_command("early_allocation_reminders")
    out = capsys.readouterr().out
    assert f"reminding the POM of {prisoner.pk}" in out
    assert "1 reminded" in out
    assert early_allocation_reminders() == {"checked": 0, "reminded": 0, "no POM email": 0}


def test_the_job_is_scheduled_daily():
    (schedule,) = [s for s in SCHEDULES if s.task == "casework.early_allocation_reminders"]
    assert schedule.crontab == {"minute": "30", "hour": "4"}
