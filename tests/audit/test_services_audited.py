"""Representative service writes, made through web requests: each records an AuditEvent with who, the action, the
object, before and after, the reason and the request's X-Request-ID."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from tests.factories import PomProfileFactory, PrisonerFactory, SentenceFactory

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture(autouse=True)
def eager_jobs():
    """After-commit jobs (emails, recalculations) run in-process also with a real broker: these tests are about the
    audit rows of the request; tests/audit/test_request_id.py covers a real worker."""
    from omic.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _case_url(name, prisoner, **kwargs):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.pk, **kwargs})


def _post(client, url, data, request_id):
    response = client.post(url, data, headers={"X-Request-ID": request_id})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["X-Request-ID"] == request_id
    return response


def _event(action, prisoner, request_id) -> AuditEvent:
    (event,) = AuditEvent.objects.filter(action=action, prison_number=prisoner.pk, request_id=request_id)
    assert event.prisoner_id == prisoner.pk
    assert event.created_at is not None
    return event


def test_allocating_a_pom(client, homd_user, prison, django_capture_on_commit_callbacks):
    from tests.allocation.conftest import make_pom
    from tests.factories.allocation import ready_case
    from tests.factories.handover import StoredHandoverFactory

    prisoner = ready_case(prison=prison, tier="A")
    StoredHandoverFactory(prisoner=prisoner)
    pom = make_pom(prison, username="pa", first="Priya", last="Adams")
    client.force_login(homd_user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _case_url("allocation_confirm", prisoner) + f"?pom={pom.pk}",
              {"expected": "", "override_reason": "no_staff"}, "req-allocate")  # fmt: skip
    event = _event("pom_allocated", prisoner, "req-allocate")
    assert (event.actor, event.actor_label, event.object_type) == (homd_user, "homd", "cases.PomAllocation")
    assert (event.before, event.after["pom"], event.after["override_reason"]) == (None, pom.pk, "no_staff")


def test_overriding_responsibility_and_removing_it(client, homd_user, prison, pom_user):
    from tests.handover.pages_setup import TODAY, make_case

    case = make_case(prison=prison, days=30, pom=PomProfileFactory(user=pom_user, prison=prison),
                     inputs={"sentence_type": "determinate", "sentence_start_date": "2025-11-24"},
                     earliest_release_date=TODAY + dt.timedelta(days=288))  # fmt: skip
    client.force_login(homd_user)
    _post(client, _case_url("handover_override_create", case), {"reason": "recalled", "reason_text": ""}, "req-ovr")
    event = _event("responsibility_overridden", case, "req-ovr")
    assert (event.actor, event.object_type, event.before) == (homd_user, "handover.ResponsibilityOverride", None)
    assert event.after["reason"] == "recalled"
    _post(client, _case_url("handover_override_remove", case), {"removal_reason": "Decision reversed"}, "req-rm")
    removed = _event("responsibility_override_removed", case, "req-rm")
    assert (removed.actor, removed.reason) == (homd_user, "Decision reversed")
    assert removed.before["removal_reason"] != removed.after["removal_reason"] == "Decision reversed"


def test_entering_a_tier_by_hand(client, homd_user, prison):
    prisoner = PrisonerFactory(prison=prison)
    client.force_login(homd_user)
    url = reverse("tier_detail", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk})
    _post(client, url, {"tier": "B", "reason": "Probation record not available yet"}, "req-tier")
    event = _event("tier_set_by_hand", prisoner, "req-tier")
    assert (event.actor, event.object_type, event.reason) == (
        homd_user, "tiering.TierRecord", "Probation record not available yet")  # fmt: skip
    assert event.after["tier"] == "B"
    case_info = AuditEvent.objects.get(object_type="cases.CaseInformation", prison_number=prisoner.pk)
    assert case_info.request_id == "req-tier"  # the case information it brought in step, same request
    assert case_info.after["tier"] == "B"


def test_editing_the_case_information_by_hand(client, homd_user, prison):
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    client.force_login(homd_user)
    _post(client, _case_url("allocation_missing_details_form", prisoner),
          {"tier": "B", "tier_reason": "Not in nDelius yet", "rosh_level": "high", "mappa_level": "2",
           "enhanced_resourcing": "yes"}, "req-case-info")  # fmt: skip
    events = AuditEvent.objects.filter(prison_number=prisoner.pk, request_id="req-case-info",
                                       object_type="cases.CaseInformation")  # fmt: skip
    assert events.exists()
    assert all(e.actor == homd_user for e in events)
    assert any(e.reason == "Missing details entered by hand" for e in events)
    tier = _event("tier_set_by_hand", prisoner, "req-case-info")
    assert (tier.reason, tier.after["tier"]) == ("Not in nDelius yet", "B")
    merged = {k: v for e in events for k, v in (e.after or {}).items()}
    assert merged["rosh_level"] == "high"
    assert merged["tier"] == "B"


def test_an_early_allocation_assessment(client, prison, pom_user, django_capture_on_commit_callbacks):
    from dateutil.relativedelta import relativedelta

    from tests.casework.early_allocation_setup import ea_case
    from tests.casework.test_early_allocation_views import STATUTORY_NO

    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    oasys = (timezone.localdate() - relativedelta(months=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _case_url("early_allocation_start", prisoner),
              {"step": "statutory", "oasys_risk_assessment_date": oasys, **STATUTORY_NO, "mappa_level_3": "yes"},
              "req-early")  # fmt: skip
    event = _event("early_allocation_assessed", prisoner, "req-early")
    assert (event.actor, event.object_type) == (pom_user, "cases.EarlyAllocation")
    assert event.after["outcome"] == "eligible"


def test_a_parole_review(client, prison):
    from tests.casework.parole_setup import isp_case, pom_for

    pom = pom_for(prison)
    prisoner, _ = isp_case(prison=prison, today=timezone.localdate(), pom=pom, store=False)
    client.force_login(pom.user)
    _post(client, _case_url("parole_case", prisoner), {"target_hearing_date": "2028-01-10",
                                                       "review_type": "Oral hearing"}, "req-parole")  # fmt: skip
    event = _event("parole_review_recorded", prisoner, "req-parole")
    assert (event.actor, event.object_type) == (pom.user, "cases.ParoleReview")
    assert event.after["target_hearing_date"] == "2028-01-10"


def test_marking_a_task_done(client, prison, pom_user):
    from casework.models import CaseTask
    from casework.task_recompute import tasks_recompute_for
    from tests.casework.task_setup import TODAY, make_case

    prisoner = make_case(prison=prison, pom=PomProfileFactory(user=pom_user, prison=prison))
    tasks_recompute_for([prisoner.pk], today=TODAY)
    task = CaseTask.objects.get(prisoner=prisoner, kind="initial_oasys")
    client.force_login(pom_user)
    _post(client, _case_url("case_task_update", prisoner, task_id=task.pk),
          {"outcome": "done", "completed_on": "2026-11-20"}, "req-task")  # fmt: skip
    event = _event("case_task_done", prisoner, "req-task")
    assert (event.actor, event.object_type, event.object_id) == (pom_user, "casework.CaseTask", str(task.pk))
    assert event.before["status"] == "due"
    assert event.after["status"] == "done"


def test_recording_a_key_work_session(client, prison):
    from tests.factories.keywork_recording import KeyworkAllocationFactory, key_worker_user

    key_worker = key_worker_user(prison=prison, username="kw")
    prisoner = PrisonerFactory(prison=prison)
    KeyworkAllocationFactory(prisoner=prisoner, key_worker=key_worker.key_worker_profiles.get())
    client.force_login(key_worker)
    _post(client, _case_url("keywork_session_new", prisoner),
          {"session_date": "2026-11-24", "session_type": "session", "duration_minutes": "45", "notes": "Went well"},
          "req-kw")  # fmt: skip
    (event,) = AuditEvent.objects.filter(prison_number=prisoner.pk, request_id="req-kw")
    assert (event.actor, event.object_type, event.before) == (key_worker, "keywork.KeyworkSession", None)
    assert event.after["duration_minutes"] == 45


def test_a_write_outside_a_request_has_a_blank_request_id(prison):
    from cases.audit import audit_record

    prisoner = PrisonerFactory(prison=prison)
    event = audit_record(action="updated", obj=prisoner, before=None, after={}, actor_label="import_prisoners")
    assert event.request_id == ""
