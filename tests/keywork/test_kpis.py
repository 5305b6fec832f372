"""KPIs through the records: the daily snapshot, the period report, per key worker figures, the dashboard (query
count pinned), its CSV and the keywork_stats command."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from keywork.job_services import key_workers_return_from_leave, prison_snapshot_record
from keywork.kpi_selectors import key_worker_kpis, prison_kpi_report
from keywork.models import KeyworkerDailyStat, KeyWorkerStatus, PrisonKeyworkDailyStat
from tests.factories import PrisonerFactory
from tests.factories.keywork import KeyworkAllocationFactory, KeyWorkerProfileFactory, KeyworkSessionFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def scene(prison, config):
    """Two key workers; 4 prisoners, 3 allocated on 2 March 2026; sessions that month."""
    a, b = KeyWorkerProfileFactory(prison=prison), KeyWorkerProfileFactory(prison=prison)
    people = PrisonerFactory.create_batch(4, prison=prison, prison_arrival_date=D(2026, 2, 20))
    for kw, person in ((a, people[0]), (a, people[1]), (b, people[2])):
        KeyworkAllocationFactory(key_worker=kw, prisoner=person, allocated_at=_at(D(2026, 3, 2)))
    for day in (D(2026, 3, 3), D(2026, 3, 10), D(2026, 3, 17)):
        KeyworkSessionFactory(prisoner=people[0], key_worker=a.user, session_date=day, duration_minutes=40)
    KeyworkSessionFactory(prisoner=people[2], key_worker=b.user, session_date=D(2026, 3, 4), duration_minutes=60)
    # A session with a prisoner who was never theirs does not count for the key worker.
    KeyworkSessionFactory(prisoner=people[3], key_worker=b.user, session_date=D(2026, 3, 5), duration_minutes=30)
    KeyworkSessionFactory(prisoner=people[1], key_worker=a.user, session_date=D(2026, 3, 6), session_type="entry",
                          duration_minutes=None)  # fmt: skip
    return {"a": a, "b": b, "people": people}


def test_snapshot_records_the_day_and_is_idempotent(prison, scene):
    stat = prison_snapshot_record(prison=prison, day=D(2026, 3, 2))
    assert (stat.prisoner_count, stat.eligible_count, stat.assigned_count, stat.active_key_worker_count) == (4, 4, 3, 2)
    assert stat.reception_to_allocation_days == 10  # 20 Feb to 2 Mar, all three on that day
    stat = prison_snapshot_record(prison=prison, day=D(2026, 3, 3))
    assert stat.reception_to_allocation_days is None  # nobody's first allocation was that day
    assert stat.reception_to_session_days == 11
    assert (stat.session_count, stat.session_minutes) == (1, 40)
    prison_snapshot_record(prison=prison, day=D(2026, 3, 3))
    assert PrisonKeyworkDailyStat.objects.filter(date=D(2026, 3, 3)).count() == 1
    assert KeyworkerDailyStat.objects.get(key_worker=scene["a"], date=D(2026, 3, 3)).allocated_count == 2
    assert prison_snapshot_record(prison=prison, day=D(2026, 3, 1)).assigned_count == 0


def test_period_report_uses_the_snapshots_and_the_sessions(prison, scene):
    for i in range(28):
        prison_snapshot_record(prison=prison, day=D(2026, 3, 1) + dt.timedelta(days=i))
    report = prison_kpi_report(prison=prison, start=D(2026, 3, 1), end=D(2026, 3, 28), today=D(2026, 6, 1))
    now = report.current
    assert now.eligible == 4
    assert now.assigned == 2
    assert now.projected_sessions == 16  # 4 × 28 / 7
    assert (now.sessions, now.entries) == (5, 1)
    assert now.compliance == Decimal("31.25")
    assert now.average_session_minutes == 42  # 210 / 5
    assert now.reception_to_allocation_days == 10
    assert report.previous.eligible is None
    assert report.previous.compliance is None
    assert [w.sessions for w in report.weeks] == [0, 3, 1, 1, 0]
    assert not report.live_today


def test_key_worker_figures(prison, scene):
    figures = {f.user_id: f for f in key_worker_kpis(prison=prison, start=D(2026, 3, 1), end=D(2026, 3, 28))}
    a, b = figures[scene["a"].user_id], figures[scene["b"].user_id]
    # Allocated 2 March, period to 28 March: 26 days, 26 / 7 = 3.7 → 4 each
    assert (a.allocations, a.projected_sessions, a.sessions, a.entries, a.compliance) == (2, 8, 3, 1, Decimal("37.50"))
    assert (b.projected_sessions, b.sessions, b.compliance) == (4, 1, Decimal("25.00"))


def test_a_period_to_today_adds_todays_figures_live(prison, scene):
    today = D(2026, 3, 20)
    report = prison_kpi_report(prison=prison, start=D(2026, 3, 14), end=today, today=today)
    assert report.live_today
    assert (report.current.eligible, report.current.assigned) == (4, 3)


def test_return_from_leave(prison):
    leave = KeyWorkerProfileFactory(prison=prison, status=KeyWorkerStatus.ANNUAL_LEAVE, return_date=D(2026, 3, 2))
    later = KeyWorkerProfileFactory(prison=prison, status=KeyWorkerStatus.ANNUAL_LEAVE, return_date=D(2026, 3, 9))
    assert key_workers_return_from_leave(today=D(2026, 3, 2)) == 1
    leave.refresh_from_db(), later.refresh_from_db()
    assert (leave.status, leave.return_date) == (KeyWorkerStatus.ACTIVE, None)
    assert later.status == KeyWorkerStatus.ANNUAL_LEAVE
    assert key_workers_return_from_leave(today=D(2026, 3, 2)) == 0
    out = StringIO()
    call_command("keywork_return_from_leave", "--date", "2026-03-09", stdout=out)
    assert "1 key worker back" in out.getvalue()


def test_snapshot_and_stats_commands(prison, scene):
    out = StringIO()
    call_command("keywork_snapshot", "--date", "2026-03-02", "--prison", "LEI", stdout=out)
    assert "recorded for 1 prison" in out.getvalue()
    out = StringIO()
    call_command("keywork_stats", "--prison", "LEI", "--from", "2026-03-02", "--to", "2026-03-02", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["prison"] == "LEI"
    assert data["current"]["eligible"] == 4
    assert data["current"]["percentage_assigned"] == "75.00"
    assert data["previous"]["start"] == "2026-03-01"
    assert {w["user_id"] for w in data["key_workers"]} == {scene["a"].user_id, scene["b"].user_id}


def test_dashboard_shows_the_figures_and_exports_csv(client, homs_user, prison, scene, django_assert_num_queries):
    for i in range(28):
        prison_snapshot_record(prison=prison, day=D(2026, 3, 1) + dt.timedelta(days=i))
    client.force_login(homs_user)
    page = reverse("keywork_dashboard", kwargs={"prison_code": prison.code}) + "?start=2026-03-01&end=2026-03-28"
    client.get(page)
    with django_assert_num_queries(17):
        response = client.get(page)
    content = response.content.decode()
    assert "31.25%" in content
    assert "<svg" in content
    assert 'data-testid="weeks"' in content
    csv = b"".join(client.get(page + "&format=csv").streaming_content).decode()
    assert csv.splitlines()[0].startswith("key_worker,status,prisoners_now")
    assert "37.50" in csv
    weeks = b"".join(client.get(page + "&format=weeks").streaming_content).decode()
    assert weeks.splitlines()[1] == "2026-03-01,2026-03-01,0,0,"  # 4 × 1 / 7 projects 0: nothing to divide by
    # Twelve months cost the same number of queries.
    with django_assert_num_queries(17):
        client.get(
            reverse("keywork_dashboard", kwargs={"prison_code": prison.code}) + "?start=2025-04-01&end=2026-03-31"
        )


def test_dashboard_period_errors(client, homs_user, prison, config):
    client.force_login(homs_user)
    page = reverse("keywork_dashboard", kwargs={"prison_code": prison.code}) + "?start=2026-03-10&end=2026-03-01"
    assert "The end date must be on or after the start date" in client.get(page).content.decode()


def test_past_days_use_the_snapshot_counts_and_late_sessions_are_recounted(prison, scene):
    from keywork.job_services import session_counts_refresh

    prison_snapshot_record(prison=prison, day=D(2026, 3, 10))
    # A session held on 10 March but recorded after that day's snapshot.
    KeyworkSessionFactory(prisoner=scene["people"][1], key_worker=scene["a"].user, session_date=D(2026, 3, 10))
    report = prison_kpi_report(prison=prison, start=D(2026, 3, 10), end=D(2026, 3, 11), today=D(2026, 6, 1))
    assert report.current.sessions == 1  # the snapshot's count for the 10th; the 11th has none, counted live
    assert session_counts_refresh(prison=prison, first=D(2026, 3, 4), last=D(2026, 3, 10)) == 1
    report = prison_kpi_report(prison=prison, start=D(2026, 3, 10), end=D(2026, 3, 11), today=D(2026, 6, 1))
    assert report.current.sessions == 2


def test_the_active_key_worker_count_is_the_active_rows_of_the_key_worker_list(prison, config):
    """The daily figures count active key workers with one query; it must agree with the key worker list's rows:
    no profile here or an active one counts; any other status here, an inactive account, or no role does not; a
    status at another prison does not matter here; a key worker working in two prisons counts once."""
    from keywork.selectors import active_key_worker_count, key_worker_list_for_prison
    from tests.factories import PrisonFactory
    from tests.factories.cases import StaffProfileFactory, UserFactory

    other = PrisonFactory()
    KeyWorkerProfileFactory(prison=prison)  # active
    for status in (KeyWorkerStatus.ANNUAL_LEAVE, KeyWorkerStatus.INACTIVE, KeyWorkerStatus.NO_PRISONER_CONTACT):
        KeyWorkerProfileFactory(prison=prison, status=status)
    no_profile = UserFactory(roles=["key_worker"])
    StaffProfileFactory(user=no_profile, prisons=[prison])  # the defaults: active
    both = KeyWorkerProfileFactory(prison=prison)  # active here, inactive at the other prison
    KeyWorkerProfileFactory(prison=other, user=both.user, status=KeyWorkerStatus.INACTIVE)
    both.user.staff_profile.prisons.add(other)
    gone = KeyWorkerProfileFactory(prison=prison)
    gone.user.is_active = False
    gone.user.save()
    not_a_key_worker = UserFactory()
    StaffProfileFactory(user=not_a_key_worker, prisons=[prison])

    rows = key_worker_list_for_prison(prison=prison)
    assert sum(1 for row in rows if row.is_active) == 3
    assert active_key_worker_count(prison=prison) == 3
    assert active_key_worker_count(prison=other) == sum(
        1 for row in key_worker_list_for_prison(prison=other) if row.is_active
    )
