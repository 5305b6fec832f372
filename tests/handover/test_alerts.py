"""Handover alerts: raised while their condition holds, resolved by themselves when it clears."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from cases.models import Alert, CaseInformation
from handover.services.alerts import (
    COM_OVERDUE,
    DATE_REACHED,
    SHORT_NEEDS_COM,
    UPCOMING,
    alerts_due,
    alerts_sync,
)
from tests.factories import CommunityOffenderManagerFactory, PrisonFactory
from tests.factories.handover import StoredHandoverFactory, handover_case

TODAY = dt.date(2026, 11, 24)


def _kinds(days_to_handover, *, has_com=False, reason="determinate", inside=True):
    handover = None if days_to_handover is None else TODAY + dt.timedelta(days=days_to_handover)
    return set(alerts_due(inside=inside, reason=reason, handover_date=handover, has_com=has_com, today=TODAY))


@pytest.mark.parametrize(
    ("days", "has_com", "kinds"),
    [
        (57, False, set()),
        (56, False, {UPCOMING}),
        (1, False, {UPCOMING}),
        (56, True, set()),
        (0, False, {DATE_REACHED}),
        (0, True, {DATE_REACHED}),
        (-1, False, {DATE_REACHED}),
        (-2, False, {DATE_REACHED, COM_OVERDUE}),
        (-2, True, {DATE_REACHED}),
        (-13, True, {DATE_REACHED}),
        (-14, True, set()),
        (-14, False, {COM_OVERDUE}),
        (-400, False, {COM_OVERDUE}),
        (None, False, set()),
    ],
)
def test_which_alerts_are_due(days, has_com, kinds):
    assert _kinds(days, has_com=has_com) == kinds


def test_short_sentences_need_a_com_and_outside_omic_needs_nothing():
    assert _kinds(None, reason="determinate_short") == {SHORT_NEEDS_COM}
    assert _kinds(None, reason="determinate_short", has_com=True) == set()
    assert _kinds(-30, inside=False) == set()


def test_the_due_date_is_the_day_to_act_by():
    due = alerts_due(
        inside=True, reason="determinate", handover_date=TODAY, has_com=False, today=TODAY + dt.timedelta(3)
    )
    assert due[COM_OVERDUE][1] == TODAY + dt.timedelta(days=2)
    assert "no COM is allocated" in due[COM_OVERDUE][0]
    assert due[DATE_REACHED][1] == TODAY


@pytest.mark.django_db
def test_alerts_raise_then_resolve_when_a_com_is_allocated():
    prisoner = handover_case(release_in=relativedelta(years=2))
    StoredHandoverFactory(prisoner=prisoner, handover_date=TODAY + dt.timedelta(days=20))
    counts = alerts_sync(today=TODAY, prisoner_ids=[prisoner.pk])
    assert (counts.raised, counts.resolved) == (1, 0)
    alert = Alert.objects.get(prisoner=prisoner)
    assert (alert.kind, alert.status, alert.prison_id, alert.raised_on) == (UPCOMING, "open", prisoner.prison_id, TODAY)
    assert alert.due_date == TODAY + dt.timedelta(days=20)
    assert alerts_sync(today=TODAY, prisoner_ids=[prisoner.pk]).raised == 0  # at most one open alert of a kind
    CaseInformation.objects.filter(prisoner=prisoner).update(com=CommunityOffenderManagerFactory())
    counts = alerts_sync(today=TODAY + dt.timedelta(days=1), prisoner_ids=[prisoner.pk])
    assert (counts.raised, counts.resolved) == (0, 1)
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_on) == ("resolved", TODAY + dt.timedelta(days=1))


@pytest.mark.django_db
def test_alerts_move_from_upcoming_to_reached_to_overdue_as_the_days_pass():
    prisoner = handover_case(release_in=relativedelta(years=2))
    handover = TODAY + dt.timedelta(days=3)
    StoredHandoverFactory(prisoner=prisoner, handover_date=handover)
    for day, open_kinds in (
        (TODAY, {UPCOMING}),
        (handover, {DATE_REACHED}),
        (handover + dt.timedelta(days=2), {DATE_REACHED, COM_OVERDUE}),
        (handover + dt.timedelta(days=20), {COM_OVERDUE}),
    ):
        alerts_sync(today=day)
        assert set(prisoner.alerts.filter(status="open").values_list("kind", flat=True)) == open_kinds
    assert set(prisoner.alerts.filter(status="resolved").values_list("kind", flat=True)) == {UPCOMING, DATE_REACHED}


@pytest.mark.django_db
def test_a_prison_at_a_time_in_constant_queries(django_assert_num_queries):
    prison = PrisonFactory(code="LEI")
    for days in (10, 20):
        StoredHandoverFactory(prisoner=handover_case(prison=prison), handover_date=TODAY + dt.timedelta(days=days))
    # read handovers, read open alerts, savepoint, lock open alerts, insert, release savepoint
    with django_assert_num_queries(6):
        alerts_sync(today=TODAY, prison_code="LEI")
    for days in range(30, 50):
        StoredHandoverFactory(prisoner=handover_case(prison=prison), handover_date=TODAY + dt.timedelta(days=days))
    with django_assert_num_queries(6):
        assert alerts_sync(today=TODAY, prison_code="LEI").raised == 20
    assert Alert.objects.filter(prison=prison, status="open").count() == 22


@pytest.mark.django_db
def test_nothing_to_change_takes_no_lock_and_writes_nothing(django_assert_num_queries):
    """The usual night: the open alerts are already right, so the sync reads and stops (no lock, no write)."""
    prison = PrisonFactory(code="LEI")
    for days in (10, 20, 30):
        StoredHandoverFactory(prisoner=handover_case(prison=prison), handover_date=TODAY + dt.timedelta(days=days))
    alerts_sync(today=TODAY, prison_code="LEI")
    before = list(Alert.objects.order_by("pk").values())
    with django_assert_num_queries(2) as captured:  # read handovers, read open alerts
        counts = alerts_sync(today=TODAY, prison_code="LEI")
    assert (counts.raised, counts.resolved) == (0, 0)
    assert not any("FOR UPDATE" in query["sql"] for query in captured.captured_queries)
    assert list(Alert.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_change_found_without_the_lock_is_made_under_it():
    """The lock-free read only decides whether to take the lock: what is written is worked out again under it."""
    prison = PrisonFactory(code="LEI")
    stored = StoredHandoverFactory(prisoner=handover_case(prison=prison), handover_date=TODAY + dt.timedelta(days=10))
    alerts_sync(today=TODAY, prison_code="LEI")
    stored.handover_date = TODAY + dt.timedelta(days=12)
    stored.save(update_fields=["handover_date"])
    assert alerts_sync(today=TODAY, prison_code="LEI").raised == 0  # reworded, not raised again
    (alert,) = Alert.objects.filter(prisoner=stored.prisoner, status="open")
    assert alert.due_date == TODAY + dt.timedelta(days=12)
    assert str((TODAY + dt.timedelta(days=12)).day) in alert.message
