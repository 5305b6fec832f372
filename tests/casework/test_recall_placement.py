"""The recall placement page: the suggestion and its reason, the HOMD's decision (another placement needs a reason),
audit, roles and prison scoping."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from casework.models import RecallPlacementDecision
from casework.recall_services import recall_placement_decide
from tests.factories import CaseInformationFactory, PrisonerFactory, SentenceFactory

pytestmark = pytest.mark.django_db


def _recall(prison, *, recall_type="standard", months_left=24, returned=None):
    returned = returned or timezone.localdate() - dt.timedelta(days=3)
    prisoner = PrisonerFactory(prison=prison, legal_status="recall", prison_arrival_date=returned)
    SentenceFactory(
        prisoner=prisoner,
        sentence_start_date=dt.date(2020, 1, 1),
        recalled=True,
        recall_type=recall_type,
        sentence_expiry_date=returned + relativedelta(months=months_left),
        licence_expiry_date=None,
    )
    CaseInformationFactory(prisoner=prisoner)
    return prisoner


def _url(prisoner, prison=None):
    code = prison.code if prison else prisoner.prison_id
    return reverse("recall_placement", kwargs={"prison_code": code, "prison_number": prisoner.pk})


@pytest.mark.parametrize(
    ("recall_type", "months_left", "words"),
    [
        ("standard", 24, "Move to a training prison"),
        ("standard", 23, "Move to a resettlement prison"),
        ("fixed_term_28", 60, "Stay at a reception prison"),
    ],
)
def test_the_page_suggests_a_placement_and_says_why(client, prison, pom_user, recall_type, months_left, words):
    prisoner = _recall(prison, recall_type=recall_type, months_left=months_left)
    client.force_login(pom_user)
    page = client.get(_url(prisoner))
    assert page.status_code == 200
    assert words in page.content.decode()
    assert not page.context["can_decide"]


def test_the_homd_takes_the_suggestion_or_chooses_another_with_a_reason(client, prison, homd_user):
    prisoner = _recall(prison, months_left=30)
    returned = "2020-01-01"  # posted by a crafted form: ignored, the record's arrival date is used
    client.force_login(homd_user)
    page = client.post(_url(prisoner), {"recall_started_on": returned, "chosen": "resettlement"})
    assert page.status_code == 200
    assert "Give the reason for choosing a placement other than the one suggested" in page.content.decode()
    assert not RecallPlacementDecision.objects.exists()
    response = client.post(
        _url(prisoner),
        {"recall_started_on": returned, "chosen": "resettlement", "override_reason": "Likely re-release soon"},
    )
    assert response.status_code == 302
    decision = RecallPlacementDecision.objects.get()
    assert (decision.suggested, decision.chosen, decision.decided_by) == ("training", "resettlement", homd_user)
    assert decision.recall_started_on == prisoner.prison_arrival_date
    event = AuditEvent.objects.get(action="recall_placement_decided")
    assert (event.reason, event.prisoner_id, event.after["chosen"]) == (
        "Likely re-release soon",
        prisoner.pk,
        "resettlement",
    )
    # Deciding again updates the one decision for this recall.
    client.post(_url(prisoner), {"recall_started_on": returned, "chosen": "training", "override_reason": "ignored"})
    decision.refresh_from_db()
    assert (RecallPlacementDecision.objects.count(), decision.chosen, decision.override_reason) == (1, "training", "")
    assert "Move to a training prison" in client.get(_url(prisoner)).content.decode()


def test_only_the_homd_decides(client, prison, pom_user):
    prisoner = _recall(prison)
    client.force_login(pom_user)
    response = client.post(_url(prisoner), {"recall_started_on": "2026-01-01", "chosen": "training"})
    assert response.status_code == 403


def test_another_prisons_case_is_404(client, prison, other_prison, homd_user):
    prisoner = _recall(other_prison)
    client.force_login(homd_user)
    assert client.get(_url(prisoner, prison)).status_code == 404


def test_the_service_refuses_bad_input_naming_the_field(prison, homd_user):
    prisoner = _recall(prison)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        recall_placement_decide(
            prisoner=prisoner, chosen="prison", override_reason="x" * 501, actor=homd_user, today=today
        )
    assert set(error.value.message_dict) == {"chosen", "override_reason"}
    not_recalled = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=not_recalled)
    with pytest.raises(ValidationError, match="not recorded as a recall"):
        recall_placement_decide(prisoner=not_recalled, chosen="training", actor=homd_user, today=today)
    no_sed = _recall(prison)
    no_sed.sentence.sentence_expiry_date = None
    no_sed.sentence.save()
    with pytest.raises(ValidationError) as error:
        recall_placement_decide(prisoner=no_sed, chosen="training", actor=homd_user, today=today)
    assert "sentence expiry" in error.value.message_dict["chosen"][0]
    no_arrival = _recall(prison)
    no_arrival.prison_arrival_date = None
    no_arrival.save()
    with pytest.raises(ValidationError, match="return to custody"):
        recall_placement_decide(prisoner=no_arrival, chosen="training", actor=homd_user, today=today)
    assert not RecallPlacementDecision.objects.exists()


def test_a_recall_by_legal_status_alone_is_read_as_a_recall(client, prison, homd_user):
    """As handover.facts reads it: the legal status "recall" makes a recall even without the sentence's flag."""
    prisoner = PrisonerFactory(prison=prison, legal_status="recall", prison_arrival_date=timezone.localdate())
    SentenceFactory(prisoner=prisoner, recalled=False, recall_type="", sentence_start_date=dt.date(2020, 1, 1))
    client.force_login(homd_user)
    page = client.get(_url(prisoner))
    assert page.context["view"].recalled
    assert page.context["can_decide"]
    assert "not recorded as a recall" not in page.content.decode()
    assert "The recall type is not recorded" in page.content.decode()
    with pytest.raises(ValidationError) as error:  # it is a recall: refused only for the missing recall type
        recall_placement_decide(prisoner=prisoner, chosen="training", actor=homd_user, today=timezone.localdate())
    assert "recall type is not recorded" in error.value.message_dict["chosen"][0]
    parole = client.get(reverse("parole_case", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk}))
    assert _url(prisoner) in parole.content.decode()


def test_a_later_transfer_keeps_the_decision_of_this_recall(client, prison, homd_user):
    prisoner = _recall(prison, months_left=30, returned=timezone.localdate() - dt.timedelta(days=40))
    returned = prisoner.prison_arrival_date
    today = timezone.localdate()
    recall_placement_decide(prisoner=prisoner, chosen="training", actor=homd_user, today=today)
    prisoner.prison_arrival_date = today - dt.timedelta(days=2)  # moved on to a training prison
    prisoner.save()
    client.force_login(homd_user)
    page = client.get(_url(prisoner))
    assert page.context["view"].decision is not None
    assert page.context["view"].recall_started_on == returned
    assert "Move to a training prison" in page.content.decode()
    assert f"{returned.day} {returned:%B %Y}" in page.content.decode()
    # Deciding again changes this recall's decision; no second recall is started.
    recall_placement_decide(
        prisoner=prisoner, chosen="resettlement", override_reason="Re-release likely", actor=homd_user, today=today
    )
    decision = RecallPlacementDecision.objects.get()
    assert (decision.recall_started_on, decision.chosen) == (returned, "resettlement")


def test_after_the_case_stops_being_a_recall_an_old_decision_is_not_current(prison, homd_user):
    from casework.recall_selectors import recall_placement_for

    prisoner = _recall(prison, months_left=30, returned=timezone.localdate() - dt.timedelta(days=40))
    today = timezone.localdate()
    recall_placement_decide(prisoner=prisoner, chosen="training", actor=homd_user, today=today)
    assert recall_placement_for(prisoner=prisoner).decision is not None
    prisoner.sentence.recalled, prisoner.sentence.recall_type = False, ""
    prisoner.sentence.save()
    prisoner.legal_status = "sentenced"
    prisoner.save()
    prisoner.refresh_from_db()
    assert not recall_placement_for(prisoner=prisoner).recalled
    prisoner.legal_status = "recall"
    prisoner.prison_arrival_date = today
    prisoner.save()
    prisoner.sentence.recalled, prisoner.sentence.recall_type = True, "standard"
    prisoner.sentence.save()
    prisoner.refresh_from_db()
    view = recall_placement_for(prisoner=prisoner)
    assert view.decision is None
    assert view.recall_started_on == today
    assert len(view.earlier) == 1


def test_the_database_refuses_an_override_without_a_reason(prison):
    from django.db import IntegrityError

    prisoner = _recall(prison)
    with pytest.raises(IntegrityError):
        RecallPlacementDecision.objects.create(
            prisoner=prisoner,
            recall_started_on=timezone.localdate(),
            suggested="training",
            chosen="resettlement",
            decided_at=timezone.now(),
        )
