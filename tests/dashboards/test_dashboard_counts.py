"""Every tile of the HOMD dashboard counts what the list it links to shows: each tile is checked against that list's
own page (or, for lists another helper is still building, its own selector)."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from allocation.list_selectors import TO_ALLOCATE, allocation_list
from allocation.staff_selectors import pom_attention_counts
from casework.models import CaseTask, TaskKind, TaskStatus
from dashboards.dashboard_selectors import homd_dashboard
from tests.dashboards.dashboard_setup import fresh_cache, make_unit  # noqa: F401 (autouse fixture)
from tests.factories.keywork import KeyworkConfigurationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(prison, homd_user, settings):
    settings.POM_CAPACITY_PER_FTE = "1.4"  # Paul Baker (3.4 per FTE) and Priya Adams (1.5) are over it
    return make_unit(prison)


def _tile(client, prison, key):
    response = client.get(reverse("homd_dashboard", kwargs={"prison_code": prison.code}))
    assert response.status_code == 200
    return response.context["board"].tile(key)


def _list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.mark.parametrize("key", ["to_allocate", "missing_details"])
def test_allocation_tiles_match_their_lists(client, prison, homd_user, unit, key):
    client.force_login(homd_user)
    tile = _tile(client, prison, key)
    assert tile.url == reverse(f"allocation_{key}", kwargs={"prison_code": prison.code})
    assert tile.count == _list_count(client, tile.url) == {"to_allocate": 2, "missing_details": 1}[key]


def test_the_to_allocate_tile_gives_the_longest_wait_the_list_shows_first(client, prison, homd_user, unit):
    client.force_login(homd_user)
    tile = _tile(client, prison, "to_allocate")
    assert tile.detail == "Longest wait: 10 days"
    response = client.get(tile.url)
    assert response.context["rows"][0]["days_waiting"] == 10


@pytest.mark.parametrize(
    ("tab", "expected"), [("upcoming", 1), ("in_progress", 2), ("overdue_tasks", 2), ("com_overdue", 1)]
)
def test_handover_tiles_match_the_prison_handover_lists(client, prison, homd_user, unit, tab, expected):
    client.force_login(homd_user)
    tile = _tile(client, prison, f"handover_{tab}")
    assert parse_qs(urlsplit(tile.url).query) == {"tab": [tab]}
    assert urlsplit(tile.url).path == reverse("handover_list_prison", kwargs={"prison_code": prison.code})
    assert tile.count == _list_count(client, tile.url) == expected


def test_the_over_capacity_tile_counts_the_pom_rows_marked_over_capacity(client, prison, homd_user, unit):
    client.force_login(homd_user)
    response = client.get(reverse("homd_dashboard", kwargs={"prison_code": prison.code}))
    tile = response.context["board"].tile("poms_over_capacity")
    table = response.content.decode().split('data-testid="distribution-table"')[1]
    assert tile.url == "#distribution"
    assert tile.count == len(re.findall("over capacity</strong>", table)) == 2
    assert tile.count == pom_attention_counts(prison=prison, today=timezone.localdate())["over_capacity"]


def test_key_work_tiles_match_the_key_work_dashboard_for_the_same_period(client, prison, homd_user, unit):
    KeyworkConfigurationFactory(prison=prison, is_enabled=True)
    client.force_login(homd_user)
    for key in ("keywork_week", "keywork_month"):
        tile = _tile(client, prison, key)
        query = parse_qs(urlsplit(tile.url).query)
        assert query["end"] == [timezone.localdate().isoformat()]
        response = client.get(tile.url)
        assert response.status_code == 200
        report = response.context["report"]
        assert report.current.start.isoformat() == query["start"][0]
        assert tile.count == report.current.compliance
        assert tile.detail == f"{report.current.sessions} of {report.current.projected_sessions} sessions projected"


def test_key_work_off_shows_no_figure(client, prison, homd_user, unit):
    KeyworkConfigurationFactory(prison=prison, is_enabled=False)
    client.force_login(homd_user)
    tile = _tile(client, prison, "keywork")
    assert tile.count is None
    assert tile.detail == "Key work is off here"


def _or_skip(call):
    try:
        return call()
    except NotImplementedError:
        pytest.skip("the casework selector this tile counts with is not written yet")


def test_overdue_task_tiles_match_the_task_list(prison, unit):
    today = timezone.localdate()
    first, second = unit["allocated"][:2]
    CaseTask.objects.create(prisoner=first, kind=TaskKind.INITIAL_OASYS, due_date=today - dt.timedelta(days=3))
    CaseTask.objects.create(prisoner=second, kind=TaskKind.INITIAL_OASYS, due_date=today - dt.timedelta(days=1))
    CaseTask.objects.create(prisoner=second, kind=TaskKind.LISP1, due_date=today - dt.timedelta(days=1))
    CaseTask.objects.create(prisoner=first, kind=TaskKind.LISP1, due_date=today + dt.timedelta(days=1))
    CaseTask.objects.create(
        prisoner=first, kind=TaskKind.OASYS_REVIEW, due_date=today - dt.timedelta(days=9),
        status=TaskStatus.DONE, completed_on=today,
    )  # fmt: skip
    from casework.task_selectors import task_list

    overdue = _or_skip(lambda: task_list(prison=prison, today=today, state="overdue"))
    board = homd_dashboard(prison=prison, today=today)
    assert board.tile("tasks_overdue").count == overdue.count() == 3
    for kind, expected in ((TaskKind.INITIAL_OASYS, 2), (TaskKind.LISP1, 1)):
        tile = board.tile(f"tasks_overdue_{kind}")
        assert tile.count == task_list(prison=prison, today=today, state="overdue", kind=kind).count() == expected
        if tile.url:
            assert parse_qs(urlsplit(tile.url).query) == {"state": ["overdue"], "kind": [kind]}


def test_parole_and_early_allocation_tiles_match_their_selectors(prison, unit):
    from casework.early_allocation_selectors import early_allocation_pending_list
    from casework.parole_selectors import parole_approaching_list

    today = timezone.localdate()
    board = homd_dashboard(prison=prison, today=today)
    parole = _or_skip(lambda: list(parole_approaching_list(prison=prison, today=today)))
    assert board.tile("parole_approaching").count == len(parole)
    pending = _or_skip(lambda: list(early_allocation_pending_list(prison=prison)))
    assert board.tile("early_allocation_pending").count == len(pending)


def test_a_tile_for_an_unbuilt_list_says_so_rather_than_showing_a_number(prison, unit, monkeypatch):
    def not_yet(**kwargs):
        raise NotImplementedError

    monkeypatch.setattr("dashboards.dashboard_selectors.parole_approaching_list", not_yet)
    tile = homd_dashboard(prison=prison, today=timezone.localdate()).tile("parole_approaching")
    assert tile.count is None
    assert tile.detail == "Not available yet"


def test_counts_follow_the_lists_when_cases_change(prison, unit):
    today = timezone.localdate()
    before = homd_dashboard(prison=prison, today=today).tile("to_allocate").count
    unit["to_allocate"][0].delete()
    after = homd_dashboard(prison=prison, today=today).tile("to_allocate").count
    assert after == before - 1 == allocation_list(prison=prison, which=TO_ALLOCATE).count()
