"""Review fixes for early allocation: a community decision needs a sent referral; a referral that could not go (no
mailbox at the time) is sent later from the case page, audited and logged; with no sentence start there is no current
sentence, so no assessment counts (as ``handover.facts`` reads it); error messages keep "OASys"."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent, SentEmail
from casework.early_allocation_selectors import early_allocation_latest_for_case, early_allocation_list
from casework.early_allocation_services import (
    early_allocation_approve,
    early_allocation_community_decision_record,
    early_allocation_create,
    early_allocation_referral_send,
)
from handover.facts import facts_for
from tests.casework.early_allocation_setup import DISCRETIONARY_NO, answers, ea_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _url(name, prisoner):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.pk})


def _approved_without_mailbox(prison, pom_user, homd_user, today):
    """A discretionary assessment made while the unit had a mailbox, approved after it was removed: not sent."""
    prisoner = ea_case(prison=prison, today=today, pom_user=pom_user)
    data = answers(DISCRETIONARY_NO, other_reason=True, reason="Out-of-area release")
    early_allocation_create(prisoner=prisoner, data=data, actor=pom_user, today=today)
    unit = prisoner.case_information.local_delivery_unit
    unit.email = ""
    unit.save()
    assessment = early_allocation_approve(prisoner=prisoner, actor=homd_user, today=today)
    assert assessment.approved
    assert assessment.referral_sent_at is None
    return prisoner, unit


def test_no_community_decision_is_recorded_before_the_referral_is_sent(client, prison, pom_user, homd_user, today):
    prisoner, _ = _approved_without_mailbox(prison, pom_user, homd_user, today)
    with pytest.raises(ValidationError, match="referral has not been sent"):
        early_allocation_community_decision_record(
            prisoner=prisoner, decision=True, decided_on=today, actor=pom_user, today=today
        )
    assert early_allocation_latest_for_case(prisoner=prisoner).community_decision is None
    client.force_login(pom_user)
    page = client.get(_url("early_allocation_case", prisoner))
    assert not page.context["needs_decision"]
    assert "Record the community decision" not in page.content.decode()
    response = client.post(_url("early_allocation_decision", prisoner), {"decision": "yes", "decided_on": today})
    assert response.status_code == 200
    assert "referral has not been sent" in response.content.decode()


def test_the_referral_is_sent_once_the_unit_has_a_mailbox(
    client, prison, pom_user, homd_user, today, django_capture_on_commit_callbacks
):
    prisoner, unit = _approved_without_mailbox(prison, pom_user, homd_user, today)
    client.force_login(pom_user)
    page = client.get(_url("early_allocation_case", prisoner)).content.decode()
    assert "Send the referral" not in page  # no mailbox yet: the dead end says what to do
    with pytest.raises(ValidationError, match="no email address"):
        early_allocation_referral_send(prisoner=prisoner, actor=pom_user, today=today)

    unit.email = "ldu@example.gov.uk"
    unit.save()
    page = client.get(_url("early_allocation_case", prisoner)).content.decode()
    assert _url("early_allocation_send_referral", prisoner) in page
    mail.outbox.clear()
    latest = early_allocation_latest_for_case(prisoner=prisoner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("early_allocation_send_referral", prisoner), {"expected": latest.pk})
    assert response.status_code == 302
    latest.refresh_from_db()
    assert latest.referral_sent_at is not None
    sent = SentEmail.objects.get(prisoner=prisoner)
    assert (sent.kind, sent.to) == ("early_allocation_decision_request", "ldu@example.gov.uk")
    assert [m.to for m in mail.outbox] == [["ldu@example.gov.uk"]]
    event = AuditEvent.objects.filter(action="early_allocation_referral_sent", prisoner=prisoner).get()
    assert (event.actor, event.after["to"]) == (pom_user, "ldu@example.gov.uk")
    # Sent once: a second try is refused, and the decision can now be recorded.
    with pytest.raises(ValidationError, match="already sent"):
        early_allocation_referral_send(prisoner=prisoner, actor=pom_user, today=today)
    assessment = early_allocation_community_decision_record(
        prisoner=prisoner, decision=True, decided_on=today, actor=pom_user, today=today
    )
    assert assessment.qualifies


def test_only_the_cases_pom_or_the_homd_sends_the_referral(client, prison, pom_user, homd_user, staff_user_factory):
    today = timezone.localdate()
    prisoner, _ = _approved_without_mailbox(prison, pom_user, homd_user, today)
    other_pom = staff_user_factory(roles=["pom"], prisons=[prison], username="another-pom")
    client.force_login(other_pom)
    assert client.post(_url("early_allocation_send_referral", prisoner)).status_code == 403
    assert early_allocation_latest_for_case(prisoner=prisoner).referral_sent_at is None


def test_without_a_sentence_start_no_assessment_counts(client, prison, pom_user, today):
    prisoner = ea_case(prison=prison, today=today, pom_user=pom_user)
    early_allocation_create(prisoner=prisoner, data=answers(high_profile=True), actor=pom_user, today=today)
    prisoner.sentence.sentence_start_date = None
    prisoner.sentence.save()
    prisoner.refresh_from_db()
    # The selectors agree with the handover engine's facts: nothing counts.
    assert facts_for(prisoner.pk, today).early_allocation is False
    assert early_allocation_latest_for_case(prisoner=prisoner) is None
    assert list(early_allocation_list(prison=prison)) == []
    client.force_login(pom_user)
    page = client.get(_url("early_allocation_case", prisoner))
    assert page.context["latest"] is None
    assert "There is no current sentence for this case" in page.content.decode()
    start = client.get(_url("early_allocation_start", prisoner)).content.decode()
    assert "There is no current sentence for this case" in start
    with pytest.raises(ValidationError, match="no current sentence"):
        early_allocation_create(prisoner=prisoner, data=answers(high_profile=True), actor=pom_user, today=today)


def test_date_errors_are_written_by_hand_and_keep_oasys(client, prison, pom_user):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    page = client.post(
        _url("early_allocation_start", prisoner), {"step": "statutory", "oasys_risk_assessment_date": "31-02-x"}
    ).content.decode()
    assert "Enter the date of the latest OASys risk assessment as a real date, for example 27 3 2026" in page
    assert "oasys" not in page.replace("OASys", "").replace("oasys_", "").lower().replace("oasys-", "")


def test_the_separation_centre_question_says_it_is_discretionary(client, prison, pom_user):
    from tests.casework.early_allocation_setup import STATUTORY_NO

    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    data = {"step": "statutory", "oasys_risk_assessment_date": timezone.localdate().isoformat(), **STATUTORY_NO}
    data = {k: ("no" if v is False else v) for k, v in data.items()}
    page = client.post(_url("early_allocation_start", prisoner), data).content.decode()
    assert "Is the person held in a separation centre?" in page
    assert "This is asked among the discretionary questions" in page
