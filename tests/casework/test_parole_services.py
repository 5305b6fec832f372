"""The parole review upsert the pages, the import and the API use: idempotent, audited, every bad field named and
nothing written, and a new outcome recalculates the stored handover at once after the commit."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from cases.models import AuditEvent, ParoleReview
from casework.parole_selectors import parole_reviews_for
from casework.parole_services import parole_review_update, parole_review_upsert, parole_review_upsert_status
from handover.models import CalculatedHandover, CalculatedHandoverHistory
from tests.casework.parole_setup import TODAY, isp_case
from tests.factories import PrisonerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_queued_recalculation(monkeypatch):
    """Turn off the on-change signal's queued job, so only the service's own recalculation can change the handover."""
    monkeypatch.setattr("handover.signals.recalculation_queue", lambda *args, **kwargs: None)


def _upsert(prisoner, **data):
    return parole_review_upsert_status(prison_number=prisoner.pk, data=data, actor_label="test", today=TODAY)


def test_a_review_is_created_then_found_again_by_its_id_and_the_same_data_changes_nothing(prison):
    prisoner = PrisonerFactory(prison=prison)
    data = {"review_id": "R1", "target_hearing_date": "2027-06-01", "review_type": "Oral hearing"}
    review, status = _upsert(prisoner, **data)
    assert status == "created"
    assert (review.target_hearing_date, review.review_type) == (dt.date(2027, 6, 1), "Oral hearing")
    again, status = _upsert(prisoner, **data)
    assert (again.pk, status) == (review.pk, "unchanged")
    _, status = _upsert(prisoner, review_id="R1", review_status="Active")
    assert status == "updated"
    review.refresh_from_db()
    assert (review.review_type, review.review_status) == ("Oral hearing", "Active")  # a partial update keeps the rest
    assert ParoleReview.objects.count() == 1
    events = AuditEvent.objects.filter(object_type="cases.ParoleReview").order_by("id")
    assert [e.action for e in events] == ["parole_review_recorded", "parole_review_updated"]
    assert events[1].before["review_status"] == ""
    assert events[1].after["review_status"] == "Active"
    assert events[0].actor_label == "test"
    assert events[0].prisoner_id == prisoner.pk


def test_without_a_review_id_the_same_dates_find_the_same_review(prison):
    prisoner = PrisonerFactory(prison=prison)
    first, _ = _upsert(prisoner, target_hearing_date=dt.date(2027, 6, 1))
    second, status = _upsert(prisoner, target_hearing_date=dt.date(2027, 6, 1), hearing_outcome="No release")
    assert (second.pk, status) == (first.pk, "updated")
    third, status = _upsert(prisoner, target_hearing_date=dt.date(2027, 7, 1))
    assert status == "created"
    assert third.pk != first.pk


def test_every_bad_field_is_named_and_nothing_is_written(prison):
    prisoner = PrisonerFactory(prison=prison)
    with pytest.raises(ValidationError) as error:
        parole_review_upsert(
            prison_number="nonsense",
            data={"target_hearing_date": "tomorrow", "hearing_outcome": "x" * 121, "extra": 1},
            actor_label="api",
            today=TODAY,
        )
    assert set(error.value.message_dict) == {"prison_number", "target_hearing_date", "hearing_outcome", "extra"}
    with pytest.raises(ValidationError) as error:
        parole_review_upsert(prison_number="Z9999ZZ", data={"review_id": "R1"}, actor_label="api", today=TODAY)
    assert "No prisoner" in error.value.message_dict["prison_number"][0]
    assert not ParoleReview.objects.exists()
    assert not AuditEvent.objects.exists()
    assert prisoner.pk  # the case exists; only the bad calls were refused


def test_a_review_id_of_another_prisoner_is_refused_without_saying_whose(prison):
    one, two = PrisonerFactory(prison=prison), PrisonerFactory(prison=prison)
    _upsert(one, review_id="R1", target_hearing_date=dt.date(2027, 6, 1))
    with pytest.raises(ValidationError) as error:
        _upsert(two, review_id="R1", hearing_outcome="Release")
    # Neutral: an API client must not learn that the id belongs to another prisoner.
    assert error.value.message_dict == {"review_id": ["This review id is already in use"]}
    assert ParoleReview.objects.get().hearing_outcome == ""


def test_today_must_be_passed_in():
    """The service never reads the clock: the caller passes today from its edge."""
    with pytest.raises(TypeError):
        parole_review_upsert(prison_number="A1234BC", data={"review_id": "R1"}, actor_label="api")
    with pytest.raises(TypeError):
        parole_review_upsert_status(prison_number="A1234BC", data={"review_id": "R1"}, actor_label="api")


def test_a_lowercase_prison_number_is_read(prison):
    prisoner = PrisonerFactory(prison=prison)
    review = parole_review_upsert(
        prison_number=prisoner.pk.lower(), data={"review_id": "R9"}, actor_label="api", today=TODAY
    )
    assert review.prisoner_id == prisoner.pk


def test_a_not_release_outcome_swings_the_stored_handover_at_once(prison, django_capture_on_commit_callbacks):
    prisoner, past = isp_case(prison=prison)
    stored = CalculatedHandover.objects.get(prisoner=prisoner)
    assert (stored.reason, stored.responsibility) == ("indeterminate", "CustodyOnly")
    with django_capture_on_commit_callbacks(execute=True):
        parole_review_upsert(
            prison_number=prisoner.pk,
            data={"review_id": past.review_id, "hearing_outcome": "No release", "hearing_outcome_received_on": TODAY},
            actor_label="api",
            today=TODAY,
        )
    stored.refresh_from_db()
    assert (stored.reason, stored.responsibility) == ("thd_over_12_months", "CustodyWithCom")
    assert CalculatedHandoverHistory.objects.filter(prisoner=prisoner).latest("id").trigger == "parole review"


def test_at_mappa_3_a_not_release_outcome_keeps_the_com_responsible(prison, django_capture_on_commit_callbacks):
    prisoner, past = isp_case(prison=prison, mappa_level=3)
    with django_capture_on_commit_callbacks(execute=True):
        parole_review_upsert(
            prison_number=prisoner.pk,
            data={"review_id": past.review_id, "hearing_outcome": "No release"},
            actor_label="api",
            today=TODAY,
        )
    stored = CalculatedHandover.objects.get(prisoner=prisoner)
    assert (stored.reason, stored.responsibility) == ("parole_mappa_2_3", "Community")


def test_with_the_next_hearing_under_12_months_away_there_is_no_swing(prison, django_capture_on_commit_callbacks):
    prisoner, past = isp_case(prison=prison, thd_in=relativedelta(months=12, days=-1))
    before = CalculatedHandover.objects.get(prisoner=prisoner).reason
    with django_capture_on_commit_callbacks(execute=True):
        parole_review_upsert(
            prison_number=prisoner.pk,
            data={"review_id": past.review_id, "hearing_outcome": "No release"},
            actor_label="api",
            today=TODAY,
        )
    assert CalculatedHandover.objects.get(prisoner=prisoner).reason == before == "indeterminate"


def test_an_unchanged_review_queues_no_recalculation(prison, django_capture_on_commit_callbacks):
    prisoner, past = isp_case(prison=prison)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _upsert(prisoner, review_id=past.review_id, target_hearing_date=past.target_hearing_date)
    assert callbacks == []


def test_the_page_update_records_an_outcome_with_the_user(prison, homd_user, django_capture_on_commit_callbacks):
    prisoner, past = isp_case(prison=prison)
    with django_capture_on_commit_callbacks(execute=True):
        parole_review_update(
            review=past,
            data={"hearing_outcome": "No release", "hearing_outcome_received_on": TODAY},
            actor=homd_user,
            today=TODAY,
        )
    past.refresh_from_db()
    assert past.outcome == "not_release"
    event = AuditEvent.objects.get(action="parole_review_updated")
    assert event.actor == homd_user
    assert CalculatedHandover.objects.get(prisoner=prisoner).reason == "thd_over_12_months"
    assert [r.pk for r in parole_reviews_for(prisoner=prisoner)][-1] == past.pk  # newest first


def test_a_review_that_could_not_be_found_again_is_refused(prison):
    """Without a review id or a date, a replayed event would add a second review: refused, naming the field."""
    prisoner = PrisonerFactory(prison=prison)
    with pytest.raises(ValidationError) as error:
        _upsert(prisoner, hearing_outcome="No release")
    assert "review_id" in error.value.message_dict
    assert not ParoleReview.objects.exists()


@pytest.mark.parametrize(
    ("thd_in", "reason"),
    [
        (relativedelta(months=12), "thd_over_12_months"),  # exactly 12 months counts (D-03)
        (relativedelta(months=12, days=-1), "indeterminate"),
        (relativedelta(months=24), "thd_over_12_months"),
    ],
)
def test_the_12_month_boundary_through_the_stored_handover(prison, django_capture_on_commit_callbacks, thd_in, reason):
    prisoner, past = isp_case(prison=prison, thd_in=thd_in)
    with django_capture_on_commit_callbacks(execute=True):
        _upsert(prisoner, review_id=past.review_id, hearing_outcome="No release")
    assert CalculatedHandover.objects.get(prisoner=prisoner).reason == reason


def test_a_release_outcome_leaves_the_general_rules(prison, django_capture_on_commit_callbacks):
    prisoner, past = isp_case(prison=prison)
    with django_capture_on_commit_callbacks(execute=True):
        _upsert(prisoner, review_id=past.review_id, hearing_outcome="Release [*]", hearing_outcome_received_on=TODAY)
    assert CalculatedHandover.objects.get(prisoner=prisoner).reason == "indeterminate"
