"""Demo key work for ``seed_demo`` (called from ``omic.demo`` once the prisoners and POM allocations exist).

Demo data, not a workflow: rows are bulk-created with no audit events, like the rest of the demo estate; only the
daily KPI snapshots go through their service (``keywork.job_services.prison_snapshot_record``), one per prison and
day, so the dashboard reads them as it reads the nightly job's. Everything is drawn from the seed's random generator
and relative to ``today``, so one seed always gives the same key work.

Per demo prison: its key work standard (off in the male open estate), a profile for each key worker (a few on
annual leave or otherwise away), a key worker for most eligible prisoners within each key worker's capacity, about six
weeks of sessions (most due sessions held, some attempted, a few entries and sensitive notes), some POM–key worker
contacts, a couple of progression plans, the daily snapshots and last month's quality sample, partly rated. The
``keyworker`` login gets a caseload with sessions overdue, due this week and not yet due.
"""

import datetime as dt
import math
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import PomAllocation, Prison, Prisoner, Role
from keywork.demo_text import (
    ATTEMPT_NOTES,
    CONTACT_SUMMARIES,
    ENTRY_NOTES,
    FEEDBACK,
    GOALS,
    NOTES,
    SENSITIVE_NOTES,
)
from keywork.job_services import prison_snapshot_record
from keywork.models import (
    AllocationType,
    DeallocationReason,
    GoalProgress,
    KeyworkAllocation,
    KeyworkConfiguration,
    KeyworkerDailyStat,
    KeyWorkerProfile,
    KeyWorkerStatus,
    KeyworkSession,
    PomContact,
    PrisonKeyworkDailyStat,
    ProgressionGoal,
    ProgressionPlan,
    QualityAnswer,
    QualityCheck,
    QualitySample,
    SessionType,
)
from keywork.recording_calculations import month_bounds, previous_month, quality_sample, week_end
from keywork.recording_selectors import quality_entries_for_month, quality_sample_size_for_prison

BATCH_SIZE = 500
WEEKS = 6  # of sessions and daily snapshots
ALLOCATED_SHARE = 0.9  # of eligible prisoners (those who arrived in the last two days wait)
DEMO_KEY_WORKER = "keyworker"  # the README's key worker login: their caseload is set, not drawn
DEMO_POM, DEMO_HOMS = "pom", "homs"
# The demo key worker's caseload: where each prisoner stands today.
DEMO_CASELOAD = ("overdue", "overdue", "overdue", "due", "due", "not_due", "not_due", "not_due")


def _aware(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def demo_keywork_delete(*, prison_codes) -> None:
    """Delete the key work recorded at the demo prisons, before their prisoners and the demo staff go (the staff's
    key worker profiles go with them; the prisons' key work standards are set again by the build)."""
    codes = list(prison_codes)
    QualitySample.objects.filter(prison_id__in=codes).delete()
    GoalProgress.objects.filter(goal__plan__prison_id__in=codes).delete()
    ProgressionPlan.objects.filter(prison_id__in=codes).delete()
    PomContact.objects.filter(prison_id__in=codes).delete()
    KeyworkSession.objects.filter(prison_id__in=codes).delete()
    KeyworkAllocation.objects.filter(prison_id__in=codes).delete()
    KeyworkerDailyStat.objects.filter(prison_id__in=codes).delete()
    PrisonKeyworkDailyStat.objects.filter(prison_id__in=codes).delete()


def demo_keywork_make(*, rng: random.Random, prison_codes, today: dt.date) -> dict[str, int]:
    """Build the demo key work in the given prisons; returns counts for the seed's summary."""
    users = get_user_model().objects.filter(username__in=[DEMO_POM, DEMO_HOMS]).values_list("username", "pk")
    named = dict(users)
    counts = dict.fromkeys(("key work allocations", "key work sessions"), 0)
    for prison in Prison.objects.filter(code__in=list(prison_codes)).order_by("code"):
        made = _prison_keywork(rng, prison, today, named)
        for label in counts:
            counts[label] += made[label]
    return counts


def _prison_keywork(rng: random.Random, prison: Prison, today: dt.date, named: dict[str, int]) -> dict[str, int]:
    workers = list(
        get_user_model()
        .objects.filter(groups__name=Role.KEY_WORKER, staff_profile__prisons=prison)
        .order_by("username")
        .values_list("pk", "username")
        .distinct()
    )
    people = list(
        Prisoner.objects.filter(prison=prison)
        .order_by("prison_number")
        .values_list("prison_number", "prison_arrival_date", "case_information__womens_complexity")
    )
    enabled = prison.estate != Prison.Estate.MENS_OPEN
    eligible = [(n, arrived) for n, arrived, complexity in people if enabled and complexity != "high"]
    config = _configuration(prison, enabled, eligible=len(eligible), workers=len(workers))
    profiles = _profiles(rng, prison, today, workers, config)
    poms = dict(
        PomAllocation.objects.filter(prisoner__prison=prison, ended_at__isnull=True, role=PomAllocation.Role.PRIMARY)
        .values_list("prisoner_id", "pom__user_id")
        .order_by("prisoner_id")
    )
    if not enabled:
        return {"key work allocations": 0, "key work sessions": 0}
    allocations, demo_caseload = _allocations(rng, prison, today, eligible, profiles, config, poms, named)
    sessions = _sessions(rng, prison, today, allocations, profiles, config, demo_caseload, poms, named)
    _contacts(rng, prison, today, allocations, poms, named, demo_caseload)
    _plans(rng, prison, today, allocations, poms, sessions, demo_caseload)
    for days_ago in range(WEEKS * 7, 0, -1):
        prison_snapshot_record(prison=prison, day=today - dt.timedelta(days=days_ago))
    _quality(rng, prison, today, named)
    active = sum(1 for a in allocations if a.ended_at is None)
    return {"key work allocations": active, "key work sessions": len(sessions)}


def _configuration(prison: Prison, enabled: bool, *, eligible: int, workers: int) -> KeyworkConfiguration:
    """The prison's standard: weekly 45-minute sessions, fortnightly 90-minute ones at a training prison; caseloads
    set so that the key workers can take most eligible prisoners (never below the national 6)."""
    fortnightly = prison.is_training and not prison.is_reception
    target = max(6, min(40, math.ceil(eligible * ALLOCATED_SHARE / max(1, round(workers * 0.85)))))
    fields = {
        "is_enabled": enabled,
        "allow_auto_allocation": True,
        "frequency_weeks": 2 if fortnightly else 1,
        "session_minutes": 90 if fortnightly else 45,
        "target_caseload": target,
        "maximum_caseload": min(50, target + 3),
        "fortnightly_approval": "Prison Group Director, by email" if fortnightly else "",
    }
    return KeyworkConfiguration.objects.update_or_create(prison=prison, defaults=fields)[0]


def _profiles(rng, prison, today, workers, config) -> dict[int, KeyWorkerProfile]:
    """A profile per key worker (kept where one exists): most active, a few on leave, away or part-time."""
    existing = {p.user_id: p for p in KeyWorkerProfile.objects.filter(prison=prison)}
    made = []
    for user_id, username in workers:
        if user_id in existing:
            continue
        profile = KeyWorkerProfile(user_id=user_id, prison=prison)
        draw = rng.random()
        if username == DEMO_KEY_WORKER and config.target_caseload < len(DEMO_CASELOAD):
            profile.capacity = len(DEMO_CASELOAD)  # their own capacity: room for the whole demo caseload
        elif username != DEMO_KEY_WORKER:
            if draw < 0.06:
                profile.status = KeyWorkerStatus.ANNUAL_LEAVE
                profile.return_date = today + dt.timedelta(days=rng.randint(2, 14))
            elif draw < 0.09:
                profile.status = KeyWorkerStatus.LONG_TERM_ABSENCE
            elif draw < 0.1:
                profile.status = KeyWorkerStatus.NO_PRISONER_CONTACT
            elif draw < 0.15:
                profile.capacity = max(1, config.target_caseload // 2)  # part-time
            profile.allow_auto_allocation = rng.random() > 0.1
        made.append(profile)
    KeyWorkerProfile.objects.bulk_create(made, batch_size=BATCH_SIZE)
    return {p.user_id: p for p in KeyWorkerProfile.objects.filter(prison=prison).select_related("user")}


def _capacity(profile: KeyWorkerProfile, config: KeyworkConfiguration) -> int:
    return profile.capacity or config.target_caseload


def _allocations(rng, prison, today, eligible, profiles, config, poms, named):
    """Most eligible prisoners get a key worker (those on leave keep theirs), filling the least loaded first within
    capacity. The demo key worker's caseload comes first: long-stay prisoners, those of the demo POM first."""
    holders = [
        p
        for p in profiles.values()
        if p.status in (KeyWorkerStatus.ACTIVE, KeyWorkerStatus.ANNUAL_LEAVE) and p.user.username != DEMO_KEY_WORKER
    ]
    holders.sort(key=lambda p: p.user_id)
    load = dict.fromkeys((p.user_id for p in holders), 0)
    homs = named.get(DEMO_HOMS)
    rows, demo_caseload = [], {}
    settled = [(n, arrived) for n, arrived in eligible if arrived and arrived <= today - dt.timedelta(days=70)]
    demo = next((p for p in profiles.values() if p.user.username == DEMO_KEY_WORKER), None)
    if demo is not None:
        settled.sort(key=lambda row: (poms.get(row[0]) != named.get(DEMO_POM), row[0]))
        for (number, _), pattern in zip(settled, DEMO_CASELOAD, strict=False):
            allocated_on = today - dt.timedelta(days=rng.randint(60, 69))
            rows.append(_allocation(prison, number, demo, allocated_on, homs, auto=False))
            demo_caseload[number] = pattern
    for number, arrived in eligible:
        if number in demo_caseload or not holders:
            continue
        if arrived is None or arrived > today - dt.timedelta(days=2) or rng.random() > ALLOCATED_SHARE:
            continue
        profile = min(holders, key=lambda p: (load[p.user_id] / _capacity(p, config), p.user_id))
        if load[profile.user_id] >= _capacity(profile, config):
            continue  # everyone is full: this prisoner waits
        load[profile.user_id] += 1
        if arrived < today - dt.timedelta(days=400):  # long-stay: their key worker since some time this year
            allocated_on = today - dt.timedelta(days=rng.randint(30, 400))
        else:  # allocated within two weeks of arriving
            allocated_on = min(today - dt.timedelta(days=1), arrived + dt.timedelta(days=rng.randint(1, 14)))
        auto = rng.random() < 0.3
        before = rng.choice(holders)
        if rng.random() < 0.08 and before is not profile and allocated_on < today - dt.timedelta(days=60):
            # An earlier key worker, changed a few weeks ago.
            changed_on = today - dt.timedelta(days=rng.randint(7, 50))
            ended = _allocation(prison, number, before, allocated_on, homs, auto=False)
            ended.ended_at, ended.deallocation_reason = _aware(changed_on, 9), DeallocationReason.STAFF_CHANGE
            rows.append(ended)
            allocated_on, auto = changed_on, False
        rows.append(_allocation(prison, number, profile, allocated_on, homs, auto=auto))
    KeyworkAllocation.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return rows, demo_caseload


def _allocation(prison, number, profile, day: dt.date, homs, *, auto: bool) -> KeyworkAllocation:
    at = _aware(day, 10)
    return KeyworkAllocation(
        prisoner_id=number,
        prison=prison,
        key_worker=profile,
        allocation_type=AllocationType.AUTO if auto else AllocationType.MANUAL,
        allocated_at=at,
        allocated_by_id=homs,
        auto_allocated_at=at if auto else None,
    )


def _sessions(rng, prison, today, allocations, profiles, config, demo_caseload, poms, named) -> list[KeyworkSession]:
    """About six weeks of sessions for each current allocation: each key worker holds most of the sessions due
    (their own rate, 70–95%), attempts some, makes the odd entry; nothing since a key worker went on leave."""
    period = 7 * config.frequency_weeks
    first_day = today - dt.timedelta(days=WEEKS * 7)
    rates = {user_id: rng.uniform(0.7, 0.95) for user_id in sorted(profiles)}
    away_since = {
        p.user_id: today - dt.timedelta(days=rng.randint(3, 12))
        for p in sorted(profiles.values(), key=lambda p: p.user_id)
        if p.status == KeyWorkerStatus.ANNUAL_LEAVE
    }
    # The demo key worker's first prisoner who has the demo POM: their latest note is sensitive (both may read it).
    sensitive_for = next((n for n in demo_caseload if poms.get(n) == named.get(DEMO_POM)), None)
    made = []

    def add(allocation, day, kind, *, sensitive=False):
        user_id = allocation.key_worker.user_id
        if kind == SessionType.SESSION:
            notes, minutes = rng.choice(SENSITIVE_NOTES if sensitive else NOTES), config.session_minutes
            minutes = max(15, minutes + rng.choice((-15, -10, 0, 0, 0, 5)))
        else:
            notes, minutes = rng.choice(ATTEMPT_NOTES if kind == SessionType.ATTEMPTED else ENTRY_NOTES), None
        made.append(
            KeyworkSession(
                prison=prison,
                prisoner_id=allocation.prisoner_id,
                key_worker_id=user_id,
                session_date=day,
                session_type=kind,
                duration_minutes=minutes,
                notes=notes,
                is_sensitive=sensitive,
                created_by_id=user_id,
            )
        )

    for allocation in allocations:
        if allocation.ended_at is not None:
            continue
        start = max(first_day, timezone.localdate(allocation.allocated_at) + dt.timedelta(days=1))
        pattern = demo_caseload.get(allocation.prisoner_id)
        if pattern is not None:
            last = _demo_last_session(rng, today, pattern, config.frequency_weeks)
            add(allocation, last, SessionType.SESSION, sensitive=allocation.prisoner_id == sensitive_for)
            day = last - dt.timedelta(days=period + rng.randint(0, 2))
            while day >= start:
                if rng.random() < 0.85:
                    add(allocation, day, SessionType.SESSION)
                day -= dt.timedelta(days=period + rng.randint(0, 2))
            continue
        end = min(today, away_since.get(allocation.key_worker.user_id, today))
        rate, day = rates[allocation.key_worker.user_id], start
        while day <= end:
            draw, held, other = rng.random(), rng.randint(0, period - 1), rng.randint(0, period - 1)
            if held <= (end - day).days:  # a day of the period that has come (and before any leave)
                if draw < rate:
                    add(allocation, day + dt.timedelta(days=held), SessionType.SESSION, sensitive=draw < 0.02)
                elif draw < rate + 0.08:
                    add(allocation, day + dt.timedelta(days=held), SessionType.ATTEMPTED)
            if other <= (end - day).days and rng.random() < 0.08:
                add(allocation, day + dt.timedelta(days=other), SessionType.ENTRY)
            day += dt.timedelta(days=period)
    KeyworkSession.objects.bulk_create(made, batch_size=BATCH_SIZE)
    return made


def _demo_last_session(rng, today: dt.date, pattern: str, frequency_weeks: int) -> dt.date:
    """A last session that leaves the prisoner overdue, due this week, or not due until after this week."""
    period = 7 * frequency_weeks
    if pattern == "overdue":
        return today - dt.timedelta(days=period + rng.randint(1, 12))
    latest_due_this_week = (week_end(today) - today).days  # due on a day from today to Sunday
    if pattern == "due":
        return today - dt.timedelta(days=period - rng.randint(0, latest_due_this_week))
    return today - dt.timedelta(days=rng.randint(0, max(0, period - latest_due_this_week - 1)))


def _contacts(rng, prison, today, allocations, poms, named, demo_caseload) -> None:
    """A POM–key worker contact for some prisoners who have both (always one for the demo POM and key worker)."""
    made = []
    for allocation in allocations:
        pom_id, kw_id = poms.get(allocation.prisoner_id), allocation.key_worker.user_id
        if allocation.ended_at is not None or pom_id is None or pom_id == kw_id:
            continue
        demo_pair = allocation.prisoner_id in demo_caseload and pom_id == named.get(DEMO_POM)
        if not demo_pair and rng.random() >= 0.06:
            continue
        made.append(
            PomContact(
                prison=prison,
                prisoner_id=allocation.prisoner_id,
                contact_date=today - dt.timedelta(days=rng.randint(1, WEEKS * 7)),
                pom_id=pom_id,
                key_worker_id=kw_id,
                summary=rng.choice(CONTACT_SUMMARIES),
                recorded_by_id=rng.choice((pom_id, kw_id)),
            )
        )
    PomContact.objects.bulk_create(made, batch_size=BATCH_SIZE)


def _plans(rng, prison, today, allocations, poms, sessions, demo_caseload) -> None:
    """Two progression plans per prison (one on the demo key worker's caseload where there is one), each with two
    goals, the first reviewed in the prisoner's latest session."""
    current = [a for a in allocations if a.ended_at is None]
    chosen = [a for a in current if a.prisoner_id in demo_caseload and poms.get(a.prisoner_id)][:1]
    others = [a for a in current if a.prisoner_id not in demo_caseload]
    chosen += rng.sample(others, min(len(others), 2 - len(chosen)))
    latest = {}
    for session in sessions:
        held = session.session_type == SessionType.SESSION and not session.is_sensitive
        if held and session.session_date > latest.get(session.prisoner_id, (dt.date.min,))[0]:
            latest[session.prisoner_id] = (session.session_date, session)
    for allocation in chosen:
        pom_id = poms.get(allocation.prisoner_id)
        has_sentence_plan = pom_id is not None and pom_id != allocation.key_worker.user_id
        plan = ProgressionPlan.objects.create(
            prison=prison,
            prisoner_id=allocation.prisoner_id,
            has_sentence_plan=has_sentence_plan,
            pom_agreed=has_sentence_plan,
            agreed_by_pom_id=pom_id if has_sentence_plan else None,
            created_by_id=allocation.key_worker.user_id,
        )
        picked = rng.sample(GOALS, 2)
        goals = ProgressionGoal.objects.bulk_create(
            [
                ProgressionGoal(
                    plan=plan, description=text, target_date=today + dt.timedelta(days=rng.randint(30, 120))
                )
                for text, _ in picked
            ]
        )
        if allocation.prisoner_id in latest:
            day, session = latest[allocation.prisoner_id]
            GoalProgress.objects.create(
                goal=goals[0], session=session, noted_on=day, note=picked[0][1], recorded_by_id=session.key_worker_id
            )


def _quality(rng, prison, today, named) -> None:
    """Last month's sample of each key worker's entries (the quality-check draw), about two in three rated by the
    HOMS; every check of the demo key worker is rated, its feedback still unread."""
    month = previous_month(today)
    size = quality_sample_size_for_prison(prison=prison)
    entries = quality_entries_for_month(prison=prison, month=month)
    if not entries:
        return
    now = timezone.now()
    drawn_at = min(now, _aware(month_bounds(month)[1] + dt.timedelta(days=1), 6))
    demo_id = get_user_model().objects.filter(username=DEMO_KEY_WORKER).values_list("pk", flat=True).first()
    samples = [
        QualitySample(
            prison=prison, key_worker_id=user_id, month=month, entry_count=len(ids), sample_size=size, drawn_at=drawn_at
        )
        for user_id, ids in sorted(entries.items())
    ]
    QualitySample.objects.bulk_create(samples, batch_size=BATCH_SIZE)
    checks = []
    for sample in samples:
        chosen = quality_sample(
            entry_ids=entries[sample.key_worker_id],
            size=size,
            seed=f"{prison.code}-{sample.key_worker_id}-{month:%Y-%m}",
        )
        is_demo = sample.key_worker_id == demo_id
        rated = is_demo or rng.random() < 0.65
        for session_id in chosen:
            check = QualityCheck(sample=sample, session_id=session_id)
            if rated and named.get(DEMO_HOMS) != sample.key_worker_id:
                for name, _ in QualityCheck.CHECKLIST:
                    setattr(check, name, rng.choices(QualityAnswer.values, (70, 15, 15))[0])
                check.feedback = rng.choice(FEEDBACK)
                check.reviewer_id = named.get(DEMO_HOMS)
                check.rated_at = min(now, drawn_at + dt.timedelta(days=rng.randint(1, 6), hours=3))
                if not is_demo and rng.random() < 0.5:
                    check.seen_by_key_worker_at = min(now, check.rated_at + dt.timedelta(days=1))
            checks.append(check)
    QualityCheck.objects.bulk_create(checks, batch_size=BATCH_SIZE)
