"""Key work speed (issue #5, "Speed") on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omic_h7 .venv/bin/python bench/keywork.py

Builds, in a benchmark prison (QKW) and inside one transaction that is rolled back at the end (so nothing is left
behind): 1,500 prisoners without a key worker (a fifth of them with an earlier, ended key worker, for continuity),
200 active key workers, a year and a half of daily KPI snapshots and about 60,000 sessions. Then prints:

1. the auto-allocation proposal (``keywork.selectors.proposal_for_prison``: the reads and D-16), best of 5
   (target <= 1 s), against a naive proposal that asks the database for every key worker's caseload and the
   prisoner's history once per prisoner (run on a sample and extrapolated, labelled so), with the ratio;
   and the time to confirm the whole proposal;
2. with those allocations in place (backdated), the prison's key work dashboard for a 12-month period through
   Django's test client (server time: view, queries
   and template), best of 5 (target <= 300 ms on PostgreSQL), against the naive way of building the same figures
   without snapshots (recomputing each day's figures from the records; sampled and extrapolated), with the ratio.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omic.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Prison, Prisoner, StaffProfile  # noqa: E402
from keywork.job_services import session_counts_refresh  # noqa: E402
from keywork.kpi_selectors import daily_figures  # noqa: E402
from keywork.models import (  # noqa: E402
    KeyworkAllocation,
    KeyworkConfiguration,
    KeyWorkerProfile,
    KeyworkSession,
    PrisonKeyworkDailyStat,
)
from keywork.selectors import proposal_for_prison  # noqa: E402
from keywork.services import auto_allocation_confirm  # noqa: E402

CODE = "QKW"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Rollback(Exception):
    pass


def _number(i: int) -> str:
    return f"Q{i % 10000:04d}K{LETTERS[i // 10000 % 26]}"


def build(*, prisoners: int, key_workers: int, today: dt.date) -> dict:
    rng = random.Random(5)
    prison = Prison.objects.create(code=CODE, name="Benchmark prison (bench/keywork.py)", estate="mens_closed")
    KeyworkConfiguration.objects.create(prison=prison, is_enabled=True, allow_auto_allocation=True)
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name="key_worker")
    users = User.objects.bulk_create(
        [
            User(username=f"bench-kw-{i:04d}", first_name="Key", last_name=f"Worker{i:04d}", password="!")
            for i in range(key_workers)
        ]
    )
    users = list(User.objects.filter(username__startswith="bench-kw-").order_by("username"))
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    staff = StaffProfile.objects.bulk_create([StaffProfile(user=u) for u in users])
    StaffProfile.prisons.through.objects.bulk_create(
        [StaffProfile.prisons.through(staffprofile_id=s.pk, prison_id=CODE) for s in staff]
    )
    profiles = KeyWorkerProfile.objects.bulk_create([KeyWorkerProfile(user=u, prison=prison) for u in users])
    people = Prisoner.objects.bulk_create(
        [
            Prisoner(
                prison_number=_number(i),
                first_name=rng.choice(["Alex", "Sam", "Jo", "Chris", "Pat"]),
                last_name=f"Surname{rng.randrange(100000):05d}",
                prison=prison,
                prison_arrival_date=today - dt.timedelta(days=rng.randrange(30, 700)),
                legal_status="sentenced",
            )
            for i in range(prisoners)
        ]
    )
    start = timezone.now() - dt.timedelta(days=400)
    KeyworkAllocation.objects.bulk_create(
        [
            KeyworkAllocation(
                prisoner=p,
                prison=prison,
                key_worker=rng.choice(profiles),
                allocated_at=start,
                ended_at=start + dt.timedelta(days=30),
                deallocation_reason="staff_change",
            )
            for p in people[: prisoners // 5]
        ]
    )
    first_day = today - dt.timedelta(days=730)
    PrisonKeyworkDailyStat.objects.bulk_create(
        [
            PrisonKeyworkDailyStat(
                prison=prison,
                date=first_day + dt.timedelta(days=d),
                prisoner_count=prisoners,
                high_complexity_count=0,
                eligible_count=prisoners,
                assigned_count=prisoners - rng.randrange(0, 200),
                active_key_worker_count=key_workers,
                session_count=0,
                entry_count=0,
                session_minutes=0,
                frequency_weeks=1,
                reception_to_allocation_days=rng.randrange(1, 20),
                reception_to_session_days=rng.randrange(3, 30),
            )
            for d in range(731)
        ]
    )
    with connection.cursor() as cursor:  # as autovacuum would after a load like this
        for model in (KeyworkSession, KeyworkAllocation, PrisonKeyworkDailyStat, Prisoner, KeyWorkerProfile):
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    homs = User.objects.create(username="bench-homs", password="!")
    homs.groups.add(Group.objects.get_or_create(name="homs")[0])
    StaffProfile.objects.create(user=homs).prisons.add(prison)
    return {"prison": prison, "homs": homs}


def add_sessions(*, prison: Prison, today: dt.date, count: int) -> None:
    """A year of sessions: nine in ten held by the prisoner's own key worker, the rest by a colleague."""
    rng = random.Random(7)
    own = list(
        KeyworkAllocation.objects.filter(prison=prison, ended_at__isnull=True).values_list(
            "prisoner_id", "key_worker__user_id"
        )
    )
    users = [user_id for _, user_id in own]
    rows = []
    for _ in range(count):
        number, user_id = rng.choice(own)
        rows.append(
            KeyworkSession(
                prison=prison,
                prisoner_id=number,
                key_worker_id=user_id if rng.random() < 0.9 else rng.choice(users),
                session_date=today - dt.timedelta(days=rng.randrange(0, 365)),
                session_type="session" if rng.random() < 0.85 else "entry",
                duration_minutes=rng.randrange(20, 70),
            )
        )
    for i in range(0, len(rows), 5000):
        KeyworkSession.objects.bulk_create(rows[i : i + 5000])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE keywork_keyworksession")
            cursor.execute("ANALYZE keywork_keyworkallocation")


def timings(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return sorted(times)


def best_of(fn, runs: int) -> float:
    return timings(fn, runs)[0]


def naive_proposal(prison: Prison, sample: int) -> float:
    """One prisoner at a time: every key worker's caseload and the prisoner's history from the database each time."""
    people = list(
        Prisoner.objects.filter(prison=prison)
        .exclude(keywork_allocations__ended_at__isnull=True)
        .order_by("last_name", "first_name", "prison_number")[:sample]
    )
    extra: dict[int, int] = {}
    started = time.perf_counter()
    for person in people:
        workers = list(
            KeyWorkerProfile.objects.filter(prison=prison, status="active", allow_auto_allocation=True).annotate(
                n=Count("allocations", filter=Q(allocations__ended_at__isnull=True))
            )
        )
        previous = list(
            KeyworkAllocation.objects.filter(prisoner=person, prison=prison)
            .order_by("-allocated_at")
            .values_list("key_worker_id", flat=True)
        )
        loads = {w.pk: (w.n + extra.get(w.pk, 0)) / (w.capacity or 6) for w in workers}
        chosen = next((kw for kw in previous if kw in loads), None) or min(loads, key=lambda k: (loads[k], k))
        extra[chosen] = extra.get(chosen, 0) + 1
    return time.perf_counter() - started


def naive_kpis(prison: Prison, today: dt.date, sample_days: int) -> float:
    config = KeyworkConfiguration.objects.get(prison=prison)
    started = time.perf_counter()
    for d in range(sample_days):
        daily_figures(prison=prison, day=today - dt.timedelta(days=d), config=config)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prisoners", type=int, default=1500)
    parser.add_argument("--key-workers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=150, help="prisoners for the naive proposal")
    parser.add_argument("--sample-days", type=int, default=20, help="days for the naive KPI recomputation")
    args = parser.parse_args()
    today = timezone.localdate()
    print(f"Database: {connection.vendor}; {args.prisoners} prisoners, {args.key_workers} key workers")
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            made = build(prisoners=args.prisoners, key_workers=args.key_workers, today=today)
            print(f"Built the benchmark prison in {time.perf_counter() - t0:.1f} s")
            prison = made["prison"]

            inputs, proposal = proposal_for_prison(prison=prison)
            fast = best_of(lambda: proposal_for_prison(prison=prison), args.runs)
            print(
                f"\n1. Auto-allocation proposal: {len(proposal.placements)} placed, {len(proposal.unplaced)} not, "
                f"{sum(p.continuity for p in proposal.placements)} by continuity"
            )
            print(f"   proposal_for_prison: {fast * 1000:.0f} ms (best of {args.runs}; target <= 1000 ms)")
            naive = naive_proposal(prison, args.sample) * args.prisoners / args.sample
            print(
                f"   naive, per prisoner from the database: {naive * 1000:.0f} ms "
                f"(extrapolated from {args.sample} prisoners); ratio {naive / fast:.0f}x"
            )

            placements = [(p.prison_number, p.key_worker_id) for p in proposal.placements]
            t0 = time.perf_counter()
            auto_allocation_confirm(prison=prison, placements=placements, actor=made["homs"])
            print(f"   confirming all {len(placements)} (atomic, audited): {(time.perf_counter() - t0) * 1000:.0f} ms")
            # Backdate the allocations so the year's sessions fall inside them, as in a prison running for a while.
            earlier = timezone.now() - dt.timedelta(days=400)
            KeyworkAllocation.objects.filter(prison=prison, ended_at__isnull=True).update(
                allocated_at=earlier, auto_allocated_at=earlier
            )
            add_sessions(prison=prison, today=today, count=60_000)
            # The snapshots then carry each day's session counts, as the nightly job would have recorded them.
            session_counts_refresh(prison=prison, first=today - dt.timedelta(days=730), last=today)

            client = Client()
            client.force_login(made["homs"])
            start = today - dt.timedelta(days=364)
            url = f"/prisons/{CODE}/key-work/dashboard/?start={start}&end={today}"
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            times = timings(lambda: client.get(url), args.runs)
            page, median = times[0], times[len(times) // 2]
            print(f"\n2. Key work dashboard, 12 months ({start} to {today}) with the previous 12 alongside")
            print(
                f"   server time: {page * 1000:.0f} ms (best of {args.runs}; median {median * 1000:.0f} ms; "
                f"load average {os.getloadavg()[0]:.1f}; target <= 300 ms on PostgreSQL)"
            )
            naive = naive_kpis(prison, today, args.sample_days) * 730 / args.sample_days
            print(
                f"   naive, each day's figures recomputed from the records (730 days): {naive * 1000:.0f} ms "
                f"(extrapolated from {args.sample_days} days); ratio {naive / page:.0f}x"
            )
            raise Rollback
    except Rollback:
        print("\nRolled back: nothing was left in the database.")


if __name__ == "__main__":
    main()
