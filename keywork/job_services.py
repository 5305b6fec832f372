"""Key work daily jobs' writes: returning key workers from annual leave and the daily KPI snapshot. Both are
idempotent: a second run for the same day changes nothing more."""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from cases.audit import audit_record
from cases.models import Prison
from keywork.kpi_selectors import daily_figures
from keywork.models import (
    KeyworkAllocation,
    KeyworkerDailyStat,
    KeyWorkerProfile,
    KeyWorkerStatus,
    KeyworkSession,
    PrisonKeyworkDailyStat,
    SessionType,
)
from keywork.selectors import configuration_for_prison

JOB_LABEL = "keywork daily job"


@transaction.atomic
def key_workers_return_from_leave(*, today: dt.date, actor_label: str = JOB_LABEL) -> int:
    """Key workers on annual leave whose return date is today or earlier become active again (reference 1.1)."""
    returning = list(
        KeyWorkerProfile.objects.select_for_update().filter(status=KeyWorkerStatus.ANNUAL_LEAVE, return_date__lte=today)
    )
    for profile in returning:
        before = {"status": profile.status, "return_date": profile.return_date}
        profile.status, profile.return_date = KeyWorkerStatus.ACTIVE, None
        profile.save(update_fields=["status", "return_date", "updated_at"])
        audit_record(
            action="key_worker_returned_from_leave",
            obj=profile,
            before=before,
            after={"status": profile.status, "return_date": None},
            actor_label=actor_label,
        )
    return len(returning)


@transaction.atomic
def prison_snapshot_record(*, prison: Prison, day: dt.date) -> PrisonKeyworkDailyStat:
    """Record (or replace) the prison's and each key worker's figures for ``day``."""
    config = configuration_for_prison(prison=prison)
    figures = daily_figures(prison=prison, day=day, config=config)
    sessions = KeyworkSession.objects.filter(prison=prison, session_date=day)
    counts = sessions.aggregate(
        sessions=Count("pk", filter=Q(session_type=SessionType.SESSION)),
        entries=Count("pk", filter=Q(session_type=SessionType.ENTRY)),
    )
    minutes = sum(sessions.filter(session_type=SessionType.SESSION).values_list("duration_minutes", flat=True))
    stat, _ = PrisonKeyworkDailyStat.objects.update_or_create(
        prison=prison,
        date=day,
        defaults={
            "prisoner_count": figures.prisoners,
            "high_complexity_count": figures.high_complexity,
            "eligible_count": figures.eligible,
            "assigned_count": figures.assigned,
            "active_key_worker_count": figures.active_key_workers,
            "session_count": counts["sessions"],
            "entry_count": counts["entries"],
            "session_minutes": minutes,
            "frequency_weeks": config.frequency_weeks,
            "reception_to_allocation_days": figures.reception_to_allocation_days,
            "reception_to_session_days": figures.reception_to_session_days,
        },
    )
    # Allocated by the end of the day and not ended by then: compared as times (not ``__date``, which SQLite works
    # out row by row in Python).
    day_end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    active_on_day = Q(allocations__allocated_at__lt=day_end) & (
        Q(allocations__ended_at__isnull=True) | Q(allocations__ended_at__gte=day_end)
    )
    profiles = KeyWorkerProfile.objects.filter(prison=prison).annotate(n=Count("allocations", filter=active_on_day))
    by_worker = {
        (user_id, kind): n
        for user_id, kind, n in sessions.values_list("key_worker_id", "session_type").annotate(n=Count("pk"))
    }
    # One row per key worker and day: the day's existing rows are replaced in one bulk update, the rest created in
    # one insert (a fixed number of queries however many key workers the prison has).
    existing = {row.key_worker_id: row for row in KeyworkerDailyStat.objects.filter(prison=prison, date=day)}
    now = timezone.now()
    created, updated = [], []
    for profile in profiles:
        values = {
            "prison": prison,
            "status": profile.status,
            "allocated_count": profile.n,
            "session_count": by_worker.get((profile.user_id, SessionType.SESSION), 0),
            "entry_count": by_worker.get((profile.user_id, SessionType.ENTRY), 0),
        }
        row = existing.get(profile.pk)
        if row is None:
            created.append(KeyworkerDailyStat(key_worker=profile, date=day, **values))
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.created_at = now
        updated.append(row)
    KeyworkerDailyStat.objects.bulk_create(created)
    KeyworkerDailyStat.objects.bulk_update(updated, [*WORKER_STAT_FIELDS, "created_at"])
    return stat


WORKER_STAT_FIELDS = ("prison", "status", "allocated_count", "session_count", "entry_count")


LATE_DAYS = 7


def session_counts_refresh(*, prison: Prison, first: dt.date, last: dt.date) -> int:
    """Recount the sessions, entries and minutes of the snapshots from ``first`` to ``last`` (sessions can be recorded
    a few days after they were held); the other figures stay as they were on the day. Returns the rows changed."""
    rows = (
        KeyworkSession.objects.filter(prison=prison, session_date__gte=first, session_date__lte=last)
        .values_list("session_date")
        .annotate(
            sessions=Count("pk", filter=Q(session_type=SessionType.SESSION)),
            entries=Count("pk", filter=Q(session_type=SessionType.ENTRY)),
            minutes=Sum("duration_minutes", filter=Q(session_type=SessionType.SESSION)),
        )
    )
    counts = {day: (sessions, entries, minutes or 0) for day, sessions, entries, minutes in rows}
    changed = 0
    for stat in PrisonKeyworkDailyStat.objects.filter(prison=prison, date__gte=first, date__lte=last):
        fresh = counts.get(stat.date, (0, 0, 0))
        if fresh != (stat.session_count, stat.entry_count, stat.session_minutes):
            stat.session_count, stat.entry_count, stat.session_minutes = fresh
            stat.save(update_fields=["session_count", "entry_count", "session_minutes", "created_at"])
            changed += 1
    return changed


def snapshot_all_prisons(*, day: dt.date) -> int:
    """Snapshot every prison that has key work records or key work switched on, and recount the sessions of the
    week before (late recording); returns how many prisons were recorded."""
    count = 0
    for prison in Prison.objects.order_by("code"):
        if (
            configuration_for_prison(prison=prison).is_enabled
            or KeyworkAllocation.objects.filter(prison=prison).exists()
        ):
            prison_snapshot_record(prison=prison, day=day)
            session_counts_refresh(
                prison=prison, first=day - dt.timedelta(days=LATE_DAYS), last=day - dt.timedelta(days=1)
            )
            count += 1
    return count
