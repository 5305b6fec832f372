"""The early allocation services: each write, its audit events and emails, the handover recalculated after the
commit, and bad input refused naming the field with nothing written."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import AuditEvent, EarlyAllocation, SentEmail
from casework.early_allocation_selectors import (
    early_allocation_latest_for,
    early_allocation_pending_list,
    early_allocation_status,
)
from casework.early_allocation_services import (
    early_allocation_approve,
    early_allocation_community_decision_record,
    early_allocation_create,
)
from tests.casework.early_allocation_setup import DISCRETIONARY_NO, answers, ea_case, stored_handover_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _actions(prisoner) -> list[str]:
    return list(
        AuditEvent.objects.filter(prison_number=prisoner.pk, object_type="cases.EarlyAllocation")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_an_eligible_case_in_the_window_is_referred_and_its_handover_moves_to_15_months(
    prison, pom_user, today, django_capture_on_commit_callbacks
):
    prisoner = ea_case(prison=prison, today=today)
    crd = prisoner.sentence.conditional_release_date
    assert stored_handover_date(prisoner) == crd - relativedelta(months=8, days=14)
    with django_capture_on_commit_callbacks(execute=True):
        assessment = early_allocation_create(
            prisoner=prisoner, data=answers(mappa_level_3=True), actor=pom_user, today=today
        )
    assert assessment.outcome == "eligible"
    assert assessment.created_within_referral_window
    assert assessment.qualifies
    assert assessment.referral_sent_at is not None
    assert stored_handover_date(prisoner) == crd - relativedelta(months=15)
    assert _actions(prisoner) == ["early_allocation_assessed", "early_allocation_referral_sent"]
    sent = SentEmail.objects.get(prisoner=prisoner)
    ldu_email = prisoner.case_information.local_delivery_unit.email
    assert (sent.kind, sent.to) == ("early_allocation_referral", ldu_email)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ldu_email]
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "text/html"
    assert prisoner.prison_number in content
    assert "Managed at MAPPA level 3" in content
    # The discretionary questions were not asked.
    assert assessment.high_risk_of_serious_harm is None
    assert assessment.extremism_separation is None
    assert early_allocation_status(assessment)[0] == "eligible"


def test_a_discretionary_case_waits_for_approval_then_the_community_decides(
    prison, pom_user, homd_user, today, django_capture_on_commit_callbacks
):
    prisoner = ea_case(prison=prison, today=today)
    before = stored_handover_date(prisoner)
    data = answers(DISCRETIONARY_NO, high_risk_of_serious_harm=True, reason="Several agencies must plan release")
    with django_capture_on_commit_callbacks(execute=True):
        assessment = early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    assert assessment.outcome == "discretionary"
    assert not assessment.qualifies
    assert early_allocation_status(assessment)[0] == "awaiting_approval"
    assert not SentEmail.objects.filter(prisoner=prisoner).exists()
    assert list(early_allocation_pending_list(prison=prison)) == [assessment]

    with pytest.raises(ValidationError, match="approve the referral first"):
        early_allocation_community_decision_record(
            prisoner=prisoner, decision=True, decided_on=today, actor=pom_user, today=today
        )
    with django_capture_on_commit_callbacks(execute=True):
        early_allocation_approve(prisoner=prisoner, actor=homd_user, today=today, expected_id=assessment.pk)
    assessment.refresh_from_db()
    assert assessment.approved
    assert assessment.approved_by == homd_user
    assert early_allocation_status(assessment)[0] == "awaiting_community_decision"
    assert SentEmail.objects.get(prisoner=prisoner).kind == "early_allocation_decision_request"
    assert stored_handover_date(prisoner) == before

    with django_capture_on_commit_callbacks(execute=True):
        early_allocation_community_decision_record(
            prisoner=prisoner, decision=True, decided_on=today, actor=pom_user, today=today, expected_id=assessment.pk
        )
    assessment.refresh_from_db()
    assert assessment.qualifies
    assert early_allocation_status(assessment)[0] == "community_accepted"
    assert stored_handover_date(prisoner) == prisoner.sentence.conditional_release_date - relativedelta(months=15)
    assert list(early_allocation_pending_list(prison=prison)) == []
    assert _actions(prisoner) == [
        "early_allocation_assessed",
        "early_allocation_approved",
        "early_allocation_referral_sent",
        "early_allocation_community_decision",
    ]


def test_a_refusal_leaves_the_handover_alone(prison, pom_user, homd_user, today, django_capture_on_commit_callbacks):
    prisoner = ea_case(prison=prison, today=today)
    before = stored_handover_date(prisoner)
    data = answers(DISCRETIONARY_NO, other_reason=True, reason="Out-of-area release")
    early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    early_allocation_approve(prisoner=prisoner, actor=homd_user, today=today)
    with django_capture_on_commit_callbacks(execute=True):
        assessment = early_allocation_community_decision_record(
            prisoner=prisoner, decision=False, decided_on=today, actor=pom_user, today=today
        )
    assert early_allocation_status(assessment)[0] == "community_rejected"
    assert stored_handover_date(prisoner) == before


def test_all_no_is_not_eligible_and_nothing_is_sent(prison, pom_user, today):
    prisoner = ea_case(prison=prison, today=today)
    assessment = early_allocation_create(
        prisoner=prisoner, data=answers(DISCRETIONARY_NO, reason="ignored"), actor=pom_user, today=today
    )
    assert assessment.outcome == "ineligible"
    assert assessment.reason == ""
    assert early_allocation_status(assessment) == ("ineligible", "Not eligible")
    assert not SentEmail.objects.exists()


def test_outside_the_window_the_assessment_is_saved_but_cannot_qualify(
    prison, pom_user, today, django_capture_on_commit_callbacks
):
    prisoner = ea_case(prison=prison, today=today, release_in=relativedelta(months=20))
    before = stored_handover_date(prisoner)
    with django_capture_on_commit_callbacks(execute=True):
        assessment = early_allocation_create(
            prisoner=prisoner, data=answers(high_profile=True), actor=pom_user, today=today
        )
    assert assessment.outcome == "eligible"
    assert not assessment.created_within_referral_window
    assert not assessment.qualifies
    assert assessment.referral_sent_at is None
    assert early_allocation_status(assessment)[0] == "assessed_outside_window"
    assert stored_handover_date(prisoner) == before
    assert not SentEmail.objects.exists()


@pytest.mark.parametrize(("release_in", "outcome"), [(24, "discretionary"), (25, "ineligible")])
def test_a_separation_centre_counts_with_release_within_24_months_from_the_dates(
    prison, pom_user, today, release_in, outcome
):
    prisoner = ea_case(prison=prison, today=today, release_in=relativedelta(months=release_in))
    data = answers(DISCRETIONARY_NO, extremism_separation=True, reason="Separation centre release plans")
    assessment = early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    assert assessment.outcome == outcome
    assert assessment.due_for_release_in_less_than_24months is (release_in == 24)


def test_without_a_mailbox_nothing_is_written_and_the_error_says_why(prison, pom_user, today):
    prisoner = ea_case(prison=prison, today=today, ldu_email="")
    with pytest.raises(ValidationError) as error:
        early_allocation_create(prisoner=prisoner, data=answers(mappa_level_3=True), actor=pom_user, today=today)
    assert "has no email address" in error.value.message_dict["__all__"][0]
    no_unit = ea_case(prison=prison, today=today, ldu=False)
    with pytest.raises(ValidationError, match="no probation delivery unit"):
        early_allocation_create(prisoner=no_unit, data=answers(mappa_level_3=True), actor=pom_user, today=today)
    assert not EarlyAllocation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="early").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"oasys_risk_assessment_date": None}, "oasys_risk_assessment_date"),
        ({"oasys_risk_assessment_date": dt.date(2999, 1, 1)}, "oasys_risk_assessment_date"),
        ({"cppc_case": None}, "cppc_case"),
        (DISCRETIONARY_NO | {"mappa_level_2": None}, "mappa_level_2"),
        (DISCRETIONARY_NO | {"mappa_level_2": True}, "reason"),
        (DISCRETIONARY_NO | {"mappa_level_2": True, "reason": "x" * 1001}, "reason"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(prison, pom_user, today, data, field):
    prisoner = ea_case(prison=prison, today=today)
    with pytest.raises(ValidationError) as error:
        early_allocation_create(prisoner=prisoner, data=answers(data), actor=pom_user, today=today)
    assert field in error.value.message_dict
    assert not EarlyAllocation.objects.exists()


def test_an_eligible_case_is_confirmed_never_refused(prison, pom_user, today):
    prisoner = ea_case(prison=prison, today=today)
    early_allocation_create(prisoner=prisoner, data=answers(cppc_case=True), actor=pom_user, today=today)
    with pytest.raises(ValidationError) as error:
        early_allocation_community_decision_record(
            prisoner=prisoner, decision=False, decided_on=today, actor=pom_user, today=today
        )
    assert "decision" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        early_allocation_community_decision_record(
            prisoner=prisoner, decision=True, decided_on=today + dt.timedelta(days=1), actor=pom_user, today=today
        )
    assert "decided_on" in error.value.message_dict
    assessment = early_allocation_community_decision_record(
        prisoner=prisoner, decision=True, decided_on=today, actor=pom_user, today=today
    )
    assert assessment.community_decision is True
    assert assessment.community_decision_recorded_by == pom_user
    with pytest.raises(ValidationError, match="already recorded"):
        early_allocation_community_decision_record(
            prisoner=prisoner, decision=True, decided_on=today, actor=pom_user, today=today
        )


def test_a_newer_assessment_made_meanwhile_is_not_overwritten(prison, pom_user, homd_user, today):
    prisoner = ea_case(prison=prison, today=today)
    data = answers(DISCRETIONARY_NO, mappa_level_2=True, reason="Exceptional MAPPA 2")
    first = early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    with pytest.raises(ValidationError, match="newer assessment"):
        early_allocation_approve(prisoner=prisoner, actor=homd_user, today=today, expected_id=first.pk)
    first.refresh_from_db()
    assert not first.approved


def test_the_latest_for_many_cases_is_one_query_and_ignores_an_earlier_sentence(
    prison, pom_user, today, django_assert_num_queries
):
    cases = [ea_case(prison=prison, today=today) for _ in range(3)]
    for prisoner in cases:
        early_allocation_create(prisoner=prisoner, data=answers(high_profile=True), actor=pom_user, today=today)
    newest = early_allocation_create(prisoner=cases[0], data=answers(cppc_case=True), actor=pom_user, today=today)
    # An assessment from before this sentence started does not count.
    old = EarlyAllocation.objects.filter(prisoner=cases[1]).get()
    old.created_at = timezone.now() - relativedelta(years=3)
    old.save()
    with django_assert_num_queries(1):
        latest = early_allocation_latest_for(prison_numbers=[p.prison_number for p in cases])
    assert latest[cases[0].prison_number] == newest
    assert cases[1].prison_number not in latest
    assert early_allocation_status(None) == ("not_assessed", "Not assessed")


def test_without_release_dates_the_24_month_question_is_asked_and_the_window_is_closed(prison, pom_user, today):
    prisoner = ea_case(prison=prison, today=today)
    sentence = prisoner.sentence
    sentence.conditional_release_date = None
    sentence.save()
    data = answers(DISCRETIONARY_NO, extremism_separation=True, reason="Separation centre")
    with pytest.raises(ValidationError) as error:
        early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    assert "due_for_release_in_less_than_24months" in error.value.message_dict
    data["due_for_release_in_less_than_24months"] = True
    assessment = early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    assert assessment.outcome == "discretionary"
    assert assessment.due_for_release_in_less_than_24months is True
    assert not assessment.created_within_referral_window
