"""The oversight services: the monthly sample per POM, a case added by hand, the audit, actions and the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from cases.models import AuditEvent, PomAllocation
from oversight.models import OversightAction, OversightAudit, OversightSample, OversightSettings
from oversight.services import (
    oversight_action_add,
    oversight_action_done,
    oversight_audit_complete,
    oversight_case_add,
    oversight_sample_draw,
    oversight_samples_draw_all,
    oversight_settings_update,
)
from tests.factories import PrisonerFactory
from tests.factories.allocation import PomAllocationFactory
from tests.oversight.conftest import MONTH, NOW, TODAY, complete, make_pom

pytestmark = pytest.mark.django_db


def test_each_pom_gets_the_sample_size_of_their_own_active_primary_cases(prison, other_prison):
    busy = make_pom(prison=prison, cases=10, username="busy", last_name="Adams")
    quiet = make_pom(prison=prison, cases=1, username="quiet", last_name="Brown")
    make_pom(prison=prison, cases=0, username="idle")
    # Not theirs to audit: a co-working allocation, an ended allocation, a case held at another prison.
    PomAllocationFactory(prisoner=PrisonerFactory(prison=prison), pom=busy, role=PomAllocation.Role.CO_WORKING)
    ended = PomAllocationFactory(prisoner=PrisonerFactory(prison=prison), pom=quiet)
    PomAllocation.objects.filter(pk=ended.pk).update(ended_at=NOW, end_trigger="user")
    PomAllocationFactory(prisoner=PrisonerFactory(prison=other_prison), pom=quiet)

    drawn = oversight_sample_draw(prison=prison, today=TODAY, now=NOW)

    assert {(s.pom, s.case_count, s.sample_size) for s in drawn} == {(busy, 10, 2), (quiet, 1, 2)}
    busy_cases = set(busy.allocations.filter(ended_at=None, role="primary").values_list("prisoner_id", flat=True))
    audits = OversightAudit.objects.filter(prison=prison, month=MONTH)
    assert set(audits.filter(pom=busy).values_list("prisoner_id", flat=True)) <= busy_cases
    assert audits.filter(pom=busy).count() == 2
    assert audits.filter(pom=quiet).count() == 1
    assert all(a.sample is not None and not a.is_completed for a in audits)


def test_drawing_again_draws_nothing_new_and_the_job_is_repeatable(prison):
    pom = make_pom(prison=prison, cases=6)
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    first = set(OversightAudit.objects.values_list("prisoner_id", flat=True))
    assert oversight_sample_draw(prison=prison, today=TODAY + dt.timedelta(days=3), now=NOW) == []
    assert OversightSample.objects.count() == 1
    assert OversightAudit.objects.count() == 2
    # The same seed and caseload draw the same cases (a retried job after a rollback, say).
    OversightAudit.objects.all().delete()
    OversightSample.objects.all().delete()
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    assert set(OversightAudit.objects.values_list("prisoner_id", flat=True)) == first
    assert pom.oversight_samples.get().month == MONTH


def test_next_month_prefers_cases_not_audited_recently(prison):
    make_pom(prison=prison, cases=4)
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    november = set(OversightAudit.objects.values_list("prisoner_id", flat=True))
    oversight_sample_draw(prison=prison, today=dt.date(2026, 12, 1), now=NOW)
    december = set(OversightAudit.objects.filter(month=dt.date(2026, 12, 1)).values_list("prisoner_id", flat=True))
    assert len(december) == 2
    assert not november & december


def test_the_sample_size_is_set_per_prison_within_its_range(prison, other_prison, homd_user):
    oversight_settings_update(prison=prison, sample_size=4, actor=homd_user)
    make_pom(prison=prison, cases=6)
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    assert OversightAudit.objects.count() == 4
    for bad in (0, 11):
        with pytest.raises(ValidationError) as error:
            oversight_settings_update(prison=other_prison, sample_size=bad, actor=homd_user)
        assert "sample_size" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightSettings.objects.filter(prison=prison).update(sample_size=0)


def test_every_sampled_case_shows_on_its_timeline(prison):
    make_pom(prison=prison, cases=3)
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW, actor_label="oversight_sample")
    for audit in OversightAudit.objects.all():
        event = AuditEvent.objects.get(prison_number=audit.prisoner_id)
        assert (event.action, event.actor_label) == ("sampled for oversight", "oversight_sample")


def test_the_homd_adds_a_case_by_hand_once_a_month(prison, other_prison, homd_user):
    pom = make_pom(prison=prison, cases=1)
    prisoner = pom.allocations.get().prisoner
    audit = oversight_case_add(prison=prison, prison_number=prisoner.pk.lower(), today=TODAY, now=NOW, actor=homd_user)
    assert (audit.pom, audit.month, audit.added_by_hand, audit.added_by) == (pom, MONTH, True, homd_user)
    assert AuditEvent.objects.filter(prison_number=prisoner.pk, action="added to oversight audits").exists()
    with pytest.raises(ValidationError, match="already in the audits for November 2026"):
        oversight_case_add(prison=prison, prison_number=prisoner.pk, today=TODAY, now=NOW, actor=homd_user)
    # The monthly sample does not draw it again.
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    assert OversightAudit.objects.filter(prisoner=prisoner).count() == 1
    unallocated = PrisonerFactory(prison=prison)
    with pytest.raises(ValidationError, match="has no POM"):
        oversight_case_add(prison=prison, prison_number=unallocated.pk, today=TODAY, now=NOW, actor=homd_user)
    elsewhere = PrisonerFactory(prison=other_prison)
    with pytest.raises(ValidationError, match="no one with this prison number"):
        oversight_case_add(prison=prison, prison_number=elsewhere.pk, today=TODAY, now=NOW, actor=homd_user)


def test_an_audit_answers_every_question_and_is_recorded_on_the_timeline(prison, homd_user):
    pom = make_pom(prison=prison, cases=1)
    audit = oversight_case_add(
        prison=prison, prison_number=pom.allocations.get().prisoner_id, today=TODAY, now=NOW, actor=homd_user
    )
    with pytest.raises(ValidationError) as error:
        oversight_audit_complete(audit=audit, answers={"risk_work": "maybe"}, notes={}, auditor=homd_user, now=NOW)
    assert set(error.value.message_dict) == set(audit.answers())
    audit.refresh_from_db()
    assert not audit.is_completed

    complete(audit, auditor=homd_user, risk_work="partly", overall="no")
    audit.refresh_from_db()
    assert audit.is_completed
    assert audit.risk_work == "partly"
    assert audit.overall == "no"
    assert audit.overall_notes == "Good work."
    complete(audit, auditor=homd_user)  # saving again replaces the answers, with before and after on the trail
    events = AuditEvent.objects.filter(prison_number=audit.prisoner_id, object_type="oversight.OversightAudit")
    changed = events.get(action="oversight audit changed")
    assert changed.before["risk_work"] == "partly"
    assert changed.after["risk_work"] == "yes"
    assert events.filter(action="oversight audit completed").count() == 1


def test_nobody_audits_their_own_case(prison, staff_user_factory):
    pom = make_pom(prison=prison, cases=1)
    pom.user.groups.add(*staff_user_factory(roles=["homd"]).groups.all())
    prisoner = pom.allocations.get().prisoner
    with pytest.raises(ValidationError, match="your own case"):
        oversight_case_add(prison=prison, prison_number=prisoner.pk, today=TODAY, now=NOW, actor=pom.user)
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="your own case"):
        complete(OversightAudit.objects.get(), auditor=pom.user)


def test_the_database_refuses_a_half_completed_audit_and_a_second_audit_of_a_case_in_a_month(prison, homd_user):
    pom = make_pom(prison=prison, cases=1)
    audit = oversight_case_add(
        prison=prison, prison_number=pom.allocations.get().prisoner_id, today=TODAY, now=NOW, actor=homd_user
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightAudit.objects.filter(pk=audit.pk).update(completed_at=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightAudit.objects.filter(pk=audit.pk).update(risk_work="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightAudit.objects.filter(pk=audit.pk).update(month=dt.date(2026, 11, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightAudit.objects.create(
            prison=prison, prisoner=audit.prisoner, pom=pom, month=MONTH, added_at=NOW, added_by=homd_user
        )


def test_actions_are_set_after_the_audit_and_only_the_pom_marks_them_done(prison, homd_user):
    pom = make_pom(prison=prison, cases=1)
    audit = oversight_case_add(
        prison=prison, prison_number=pom.allocations.get().prisoner_id, today=TODAY, now=NOW, actor=homd_user
    )
    with pytest.raises(ValidationError, match="Complete the audit"):
        oversight_action_add(audit=audit, description="x", due_date=TODAY, actor=homd_user, today=TODAY, now=NOW)
    audit = complete(audit, auditor=homd_user)
    with pytest.raises(ValidationError) as error:
        oversight_action_add(
            audit=audit, description="  ", due_date=TODAY - dt.timedelta(days=1), actor=homd_user, today=TODAY, now=NOW
        )
    assert set(error.value.message_dict) == {"description", "due_date"}
    action = oversight_action_add(
        audit=audit,
        description=" Book a handover meeting with the COM ",
        due_date=TODAY + dt.timedelta(days=14),
        actor=homd_user,
        today=TODAY,
        now=NOW,
    )
    assert action.description == "Book a handover meeting with the COM"
    with pytest.raises(ValidationError, match="Only the POM"):
        oversight_action_done(action=action, user=homd_user, now=NOW)
    oversight_action_done(action=action, user=pom.user, now=NOW)
    oversight_action_done(action=action, user=pom.user, now=NOW + dt.timedelta(days=1))  # again: no change
    action.refresh_from_db()
    assert action.done_at == NOW
    assert action.done_by == pom.user
    assert AuditEvent.objects.filter(prison_number=audit.prisoner_id, action="oversight action done").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightAction.objects.filter(pk=action.pk).update(description="")


def test_the_job_and_command_draw_every_prison_and_say_what_they_did(prison, other_prison, capsys):
    make_pom(prison=prison, cases=3)
    make_pom(prison=other_prison, cases=1)
    assert oversight_samples_draw_all(today=TODAY, now=NOW, prison_code=prison.code) == {prison.code: 1}
    call_command("oversight_sample")
    out = capsys.readouterr().out
    assert f"{prison.code}: 0 POMs sampled" in out
    assert f"{other_prison.code}: 1 POM sampled" in out
    assert "1 of 1 cases" in out
    assert "Done: 1 POM samples in 2 prisons" in out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No prison with the code"):
        call_command("oversight_sample", "--prison", "XYZ")


def test_the_celery_task_calls_the_service(prison):
    from oversight.tasks import draw_sample

    make_pom(prison=prison, cases=2)
    result = draw_sample.apply().get()
    assert result[prison.code] == 1


def test_a_poms_profile_can_go_once_their_cases_have_gone(prison, homd_user):
    """seed_demo --reset deletes the prisoners, then the demo staff: oversight rows must not stop it."""
    from cases.models import Prisoner

    pom = make_pom(prison=prison, cases=3)
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    complete(OversightAudit.objects.first(), auditor=homd_user)
    Prisoner.objects.filter(prison=prison).delete()
    pom.user.delete()
    assert not OversightAudit.objects.exists()
    assert not OversightSample.objects.exists()
