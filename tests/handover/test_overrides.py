"""Overriding responsibility to the COM and removing the override (DECISIONS.md D-06): audit, emails after the
commit logged on the case, and the rules the database keeps."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import AuditEvent, SentEmail
from handover.models import ResponsibilityOverride
from handover.selectors import HandoverScope, handover_list
from handover.services.overrides import responsibility_override_create, responsibility_override_remove
from tests.factories import PomProfileFactory, UserFactory
from tests.handover.pages_setup import COMMUNITY, CUSTODY_ONLY, TODAY, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(prison):
    pom = PomProfileFactory(prison=prison, user=UserFactory(roles=["pom"], email="pom@justice.example.gov.uk"))
    return make_case(prison=prison, days=30, pom=pom)


def test_an_override_is_audited_and_emails_the_ldu_and_the_pom_after_the_commit(
    case, homd_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        override = responsibility_override_create(prisoner=case, reason="community_decision", actor=homd_user)
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    ldu_email = case.case_information.local_delivery_unit.email
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ldu_email, "pom@justice.example.gov.uk"])
    assert "The COM is now responsible" in mail.outbox[0].subject
    logged = SentEmail.objects.filter(prisoner=case, kind="responsibility_override")
    assert sorted(logged.values_list("to", flat=True)) == sorted([ldu_email, "pom@justice.example.gov.uk"])
    event = AuditEvent.objects.get(action="responsibility_overridden")
    assert (event.actor, event.prisoner_id, event.after["reason"]) == (homd_user, case.pk, "community_decision")
    assert override.created_by == homd_user


def test_an_override_changes_responsibility_but_never_the_dates(case, homd_user):
    responsibility_override_create(prisoner=case, reason="recalled", actor=homd_user)
    row = handover_list(scope=HandoverScope(prison=case.prison), tab="in_progress", today=TODAY).get()
    assert (row.responsibility, row.effective_responsibility) == (CUSTODY_ONLY, COMMUNITY)
    assert row.handover_date == case.calculated_handover.handover_date


def test_other_needs_text_and_a_second_override_is_refused(case, homd_user):
    with pytest.raises(ValidationError) as error:
        responsibility_override_create(prisoner=case, reason="other", reason_text=" ", actor=homd_user)
    assert "reason_text" in error.value.message_dict
    with pytest.raises(ValidationError):
        responsibility_override_create(prisoner=case, reason="not-a-reason", actor=homd_user)
    responsibility_override_create(prisoner=case, reason="other", reason_text="Agreed", actor=homd_user)
    with pytest.raises(ValidationError):
        responsibility_override_create(prisoner=case, reason="recalled", actor=homd_user)
    assert ResponsibilityOverride.objects.count() == 1


def test_removal_needs_a_reason_keeps_the_row_and_is_audited_and_emailed(
    case, homd_user, django_capture_on_commit_callbacks
):
    responsibility_override_create(prisoner=case, reason="recalled", actor=homd_user)
    with pytest.raises(ValidationError):
        responsibility_override_remove(prisoner=case, removal_reason="  ", actor=homd_user)
    with django_capture_on_commit_callbacks(execute=True):
        removed = responsibility_override_remove(prisoner=case, removal_reason="Decision reversed", actor=homd_user)
    assert removed.removed_at is not None
    assert ResponsibilityOverride.objects.filter(prisoner=case).count() == 1
    event = AuditEvent.objects.get(action="responsibility_override_removed")
    assert (event.before["removed_at"], event.reason) == (None, "Decision reversed")
    assert SentEmail.objects.filter(kind="responsibility_override_removed").count() == 2
    with pytest.raises(ValidationError):
        responsibility_override_remove(prisoner=case, removal_reason="Again", actor=homd_user)


def test_a_failing_email_is_logged_and_never_undoes_the_override(
    case, homd_user, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("handover.services.overrides.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        responsibility_override_create(prisoner=case, reason="recalled", actor=homd_user)
    assert ResponsibilityOverride.objects.filter(prisoner=case, removed_at__isnull=True).exists()
    assert not SentEmail.objects.exists()


def test_no_ldu_mailbox_means_only_the_pom_is_emailed(case, homd_user, django_capture_on_commit_callbacks):
    ldu = case.case_information.local_delivery_unit
    ldu.email = ""
    ldu.save()
    with django_capture_on_commit_callbacks(execute=True):
        responsibility_override_create(prisoner=case, reason="recalled", actor=homd_user)
    assert [m.to for m in mail.outbox] == [["pom@justice.example.gov.uk"]]


def test_the_database_allows_one_active_override_and_other_needs_text(case, homd_user):
    ResponsibilityOverride.objects.create(prisoner=case, reason="recalled", created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityOverride.objects.create(prisoner=case, reason="recalled", created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityOverride.objects.create(
            prisoner=case, reason="other", created_at=timezone.now(), removed_at=timezone.now(), removal_reason="x"
        )
