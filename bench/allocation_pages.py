"""Allocation page speed (issue #4, "Speed") on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omic_h5 .venv/bin/python bench/allocation_pages.py

Builds, in a benchmark prison (QAL) and inside one transaction that is rolled back at the end (so nothing is left
behind): 1,500 prisoners with sentences, case information (5% without a tier) and stored handover results, 60 POMs
(a third probation POMs, some part time, a few unavailable or away), about 60% of the cases allocated (a tenth of
those with a co-working POM too) and some ended allocations for history. Then prints the server time (Django's test
client: view, queries and template) of the choose-a-POM page and the three allocation lists, median and 95th
percentile over ``--runs`` requests (target <= 300 ms on PostgreSQL), with the queries each page ran. On PostgreSQL
the tables are ANALYZEd after the build, as autovacuum would do for committed rows.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omic.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import (  # noqa: E402
    CaseInformation,
    PomAllocation,
    PomProfile,
    Prison,
    Prisoner,
    Sentence,
    StaffProfile,
)
from handover.models import CalculatedHandover  # noqa: E402

CODE = "QAL"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


TABLES = (
    "cases_prisoner",
    "cases_sentence",
    "cases_caseinformation",
    "cases_pomallocation",
    "cases_pomprofile",
    "auth_user",
    "handover_calculatedhandover",
)


class Rollback(Exception):
    pass


def prison_number(i: int) -> str:
    return f"Q{i:04d}{LETTERS[i // 260 % 26]}{LETTERS[i % 26]}"


def build(*, prisoners: int, poms: int, today: dt.date, seed: int = 4) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    prison = Prison.objects.create(code=CODE, name="Benchmark prison (bench/allocation_pages.py)", estate="mens_closed")
    User = get_user_model()
    pom_group, _ = Group.objects.get_or_create(name="pom")
    homd_group, _ = Group.objects.get_or_create(name="homd")
    homd = User.objects.create(username="bench-alloc-homd", first_name="Bench", last_name="Homd")
    homd.groups.add(homd_group)
    StaffProfile.objects.create(user=homd).prisons.add(prison)
    users = User.objects.bulk_create(
        User(
            username=f"bench-alloc-pom{i:03d}",
            first_name=f"Pom{i:03d}",
            last_name=f"Bench{i:03d}",
            email=f"bench-alloc-pom{i:03d}@justice.example.gov.uk",
        )
        for i in range(poms)
    )
    pom_group.user_set.add(*users)
    profiles = PomProfile.objects.bulk_create(
        PomProfile(
            user=u,
            prison=prison,
            pom_type="probation" if i % 3 == 0 else "prison",
            working_pattern=Decimal(rng.choice(["1.0", "1.0", "1.0", "0.8", "0.5"])),
            status="unavailable" if i % 20 == 19 else "away" if i % 30 == 29 else "active",
        )
        for i, u in enumerate(users)
    )
    people = Prisoner.objects.bulk_create(
        Prisoner(
            prison_number=prison_number(i),
            first_name=f"First{i}",
            last_name=f"Last{i:04d}",
            prison=prison,
            prison_arrival_date=today - dt.timedelta(days=rng.randint(0, 700)),
            legal_status="sentenced",
        )
        for i in range(prisoners)
    )
    Sentence.objects.bulk_create(
        Sentence(
            prisoner=p,
            sentence_type="determinate",
            sentence_start_date=today - dt.timedelta(days=400),
            conditional_release_date=today + dt.timedelta(days=rng.randint(30, 1500)),
        )
        for p in people
    )
    tiers = "AABBBCCCCCCDDDDDDD"
    CaseInformation.objects.bulk_create(
        CaseInformation(prisoner=p, tier="", rosh_level="medium")
        if i % 20 == 0
        else CaseInformation(
            prisoner=p, tier=rng.choice(tiers), tier_source="imported", tier_date=today, rosh_level="medium"
        )
        for i, p in enumerate(people)
    )
    CalculatedHandover.objects.bulk_create(
        CalculatedHandover(
            prisoner=p,
            responsibility="Community" if i % 7 == 0 else "CustodyOnly",
            handover_date=today + dt.timedelta(days=rng.randint(0, 900)),
            reason="determinate",
            policy="current",
            calculated_on=today,
            last_calculated_at=now,
            last_changed_at=now,
        )
        for i, p in enumerate(people)
    )
    active_poms = [p for p in profiles if p.status == "active"]
    allocations = []
    for i, p in enumerate(people):
        if i % 20 == 0 or i % 5 >= 3:  # missing details, or waiting: about 60% allocated
            if i % 11 == 0:  # history: an ended allocation
                allocations.append(
                    PomAllocation(
                        prisoner=p,
                        pom=rng.choice(profiles),
                        role="primary",
                        allocated_at=now - dt.timedelta(days=200),
                        ended_at=now - dt.timedelta(days=rng.randint(1, 100)),
                        end_trigger="user",
                    )
                )
            continue
        primary, co = rng.sample(active_poms, 2)
        allocations.append(
            PomAllocation(
                prisoner=p, pom=primary, role="primary", allocated_at=now - dt.timedelta(days=rng.randint(0, 300))
            )
        )
        if i % 10 == 1:
            allocations.append(PomAllocation(prisoner=p, pom=co, role="co_working", allocated_at=now))
    PomAllocation.objects.bulk_create(allocations)
    waiting = next(p for i, p in enumerate(people) if i % 20 != 0 and i % 5 >= 3)
    return {"prison": prison, "homd": homd, "waiting": waiting, "allocations": len(allocations)}


def timed(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prisoners", type=int, default=1500)
    parser.add_argument("--poms", type=int, default=60)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    today = timezone.localdate()
    print(f"Database: {connection.vendor}; {args.prisoners} prisoners, {args.poms} POMs")
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            made = build(prisoners=args.prisoners, poms=args.poms, today=today)
            print(f"Built the benchmark prison in {time.perf_counter() - t0:.1f} s ({made['allocations']} allocations)")
            if connection.vendor == "postgresql":
                # Autovacuum keeps the planner's statistics fresh for committed rows; these rows are never committed
                # (the transaction rolls back), so without this the planner would take the tables for empty.
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {', '.join(TABLES)}")
            client = Client()
            client.force_login(made["homd"])
            number = made["waiting"].prison_number
            pages = [
                ("Choose a POM", f"/prisons/{CODE}/allocations/cases/{number}/choose/"),
                ("To allocate list", f"/prisons/{CODE}/allocations/"),
                ("To allocate, sorted by name", f"/prisons/{CODE}/allocations/?sort=name"),
                ("Missing details list", f"/prisons/{CODE}/allocations/missing-details/"),
                ("Allocated list", f"/prisons/{CODE}/allocations/allocated/"),
            ]
            print(f"\nServer time over {args.runs} requests each (target <= 300 ms on PostgreSQL):")
            for label, url in pages:
                median, p95, queries = timed(client, url, args.runs)
                print(f"  {label:<30} median {median * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   {queries} queries")
            raise Rollback
    except Rollback:
        print("\nRolled back: nothing was left in the database.")


if __name__ == "__main__":
    main()
