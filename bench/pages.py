"""Page speed of the HOMD dashboard, the POM caseload, the prisoner profile and search (issue #7) on the configured
database, each against a baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omic_dash .venv/bin/python bench/pages.py

Builds, in a benchmark prison (QPG) and inside one transaction that is rolled back at the end (nothing is left
behind): 1,500 prisoners with sentences (a tenth with a parole eligibility date within 10 months), case information,
stored handover results across the four handover lists, 60 POMs, about 60% of the cases allocated, one POM holding
exactly 150 cases, key work switched on with a month of sessions, and case tasks (a fifth of them overdue). Then
prints the server time (Django's test client: view, queries and template), median and 95th percentile over
``--runs`` requests, with each page's query count:

- the HOMD dashboard (target <= 400 ms) from the cache (the figures are kept per prison for up to
  ``HOMD_DASHBOARD_CACHE_SECONDS``) and worked out afresh (``?refresh=1``), against the naive way of counting the same
  tiles: loading every row of each list it links to and counting in Python, and each POM's workload asked one POM
  at a time;
- the POM caseload with 150 cases (target <= 200 ms), the prisoner profile and search, each against its own first
  (cold) request;
- the national OMiC measures page, and the time to record the prison's daily snapshot.

On PostgreSQL the tables are ANALYZEd after the build, as autovacuum would do for committed rows.
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
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import (  # noqa: E402
    CaseInformation,
    CommunityOffenderManager,
    PomAllocation,
    PomProfile,
    Prison,
    Prisoner,
    Sentence,
    StaffProfile,
)
from casework.models import CaseTask, TaskKind  # noqa: E402
from handover.models import CalculatedHandover  # noqa: E402
from keywork.models import KeyworkConfiguration, KeyworkSession  # noqa: E402

CODE = "QPG"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TABLES = (
    "cases_prisoner",
    "cases_sentence",
    "cases_caseinformation",
    "cases_pomallocation",
    "cases_pomprofile",
    "auth_user",
    "handover_calculatedhandover",
    "casework_casetask",
    "keywork_keyworksession",
)


class Rollback(Exception):
    pass


def prison_number(i: int) -> str:
    return f"P{i:04d}{LETTERS[i // 260 % 26]}{LETTERS[i % 26]}"


def _users(prefix: str, n: int, group: str) -> list:
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{i:03d}", first_name=f"Pom{i:03d}", last_name=f"Bench{i:03d}") for i in range(n)
    )
    Group.objects.get_or_create(name=group)[0].user_set.add(*users)
    return users


def build(*, prisoners: int, poms: int, today: dt.date, seed: int = 7) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    prison = Prison.objects.create(code=CODE, name="Benchmark prison (bench/pages.py)", estate="mens_closed")
    KeyworkConfiguration.objects.update_or_create(prison=prison, defaults={"is_enabled": True})
    (homd,) = _users("bench-pages-homd", 1, "homd")
    users = _users("bench-pages-pom", poms, "pom")
    for user in (homd, *users):
        StaffProfile.objects.create(user=user).prisons.add(prison)
    profiles = PomProfile.objects.bulk_create(
        PomProfile(
            user=u,
            prison=prison,
            pom_type="probation" if i % 3 == 0 else "prison",
            working_pattern=Decimal(rng.choice(["1.0", "1.0", "0.8", "0.5"])),
            status="away" if i % 30 == 29 else "active",
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
            parole_eligibility_date=today + dt.timedelta(days=rng.randint(1, 290)) if i % 10 == 0 else None,
        )
        for i, p in enumerate(people)
    )
    coms = CommunityOffenderManager.objects.bulk_create(
        CommunityOffenderManager(name=f"Com {i}", email=f"bench-pages-com{i}@probation.example.gov.uk")
        for i in range(20)
    )
    CaseInformation.objects.bulk_create(
        CaseInformation(prisoner=p, tier="", rosh_level="medium")
        if i % 20 == 0
        else CaseInformation(
            prisoner=p,
            tier=rng.choice("AABBBCCCCCCDDDDDDD"),
            tier_source="imported",
            tier_date=today,
            rosh_level="medium",
            com=rng.choice(coms) if i % 7 in (0, 1) else None,
        )
        for i, p in enumerate(people)
    )
    CalculatedHandover.objects.bulk_create(
        CalculatedHandover(
            prisoner=p,
            responsibility="Community" if i % 7 == 0 else "CustodyWithCom" if i % 7 == 1 else "CustodyOnly",
            handover_date=today + dt.timedelta(days=rng.randint(-60, 900)),
            handover_type="enhanced" if i % 3 == 0 else "standard",
            reason="determinate",
            policy="current",
            calculated_on=today,
            last_calculated_at=now,
            last_changed_at=now,
        )
        for i, p in enumerate(people)
    )
    active = [p for p in profiles if p.status == "active"]
    busy = active[0]  # the POM whose caseload page is timed: exactly 150 cases
    allocations, busy_cases = [], 0
    for i, p in enumerate(people):
        if i % 20 == 0 or i % 5 >= 3:
            continue
        pom = busy if busy_cases < 150 else rng.choice(active[1:])
        busy_cases += pom is busy
        allocations.append(
            PomAllocation(
                prisoner=p, pom=pom, role="primary", allocated_at=now - dt.timedelta(days=rng.randint(0, 300))
            )
        )
    PomAllocation.objects.bulk_create(allocations)
    kinds = [TaskKind.INITIAL_OASYS, TaskKind.OASYS_REVIEW, TaskKind.LISP1, TaskKind.HANDOVER_MEETING]
    CaseTask.objects.bulk_create(
        CaseTask(prisoner=p, kind=kinds[i % 4], due_date=today + dt.timedelta(days=rng.randint(-40, 160)))
        for i, p in enumerate(people)
    )
    KeyworkSession.objects.bulk_create(
        KeyworkSession(
            prisoner=p,
            prison=prison,
            key_worker=homd,
            session_date=today - dt.timedelta(days=rng.randint(0, 30)),
            session_type="session",
            duration_minutes=45,
            notes="Bench session",
            created_by=homd,
        )
        for p in people[::2]
    )
    return {"prison": prison, "homd": homd, "busy": busy, "case": allocations[0].prisoner}


def naive_dashboard(prison: Prison, today: dt.date) -> dict:
    """The same tiles counted the naive way: every row of each list loaded and counted in Python, and each POM's
    workload asked one POM at a time."""
    from allocation.list_selectors import MISSING_DETAILS, TO_ALLOCATE, allocation_list
    from allocation.selectors import pom_workload_get
    from casework.parole_selectors import parole_approaching_list
    from casework.task_selectors import task_list
    from handover.selectors import TABS, HandoverScope, handover_list
    from keywork.kpi_selectors import prison_kpi_report

    counts = {which: len(list(allocation_list(prison=prison, which=which))) for which in (TO_ALLOCATE, MISSING_DETAILS)}
    scope = HandoverScope(prison=prison)
    counts.update({tab: len(list(handover_list(scope=scope, tab=tab, today=today))) for tab in TABS})
    counts["parole"] = len(list(parole_approaching_list(prison=prison, today=today)))
    counts["overdue"] = len(list(task_list(prison=prison, today=today, state="overdue")))
    for start in (today - dt.timedelta(days=today.weekday()), today.replace(day=1)):
        prison_kpi_report(prison=prison, start=start, end=today, today=today)
    counts["poms"] = [
        pom_workload_get(pom=pom, today=today).per_fte for pom in PomProfile.objects.filter(prison=prison)
    ]
    return counts


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def timed(client: Client, url: str, runs: int) -> dict:
    started = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"cold": cold, "median": statistics.median(times), "p95": _p95(times), "queries": len(queries)}


def timed_call(call, runs: int) -> dict:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        call()
    return {"median": statistics.median(times), "p95": _p95(times), "queries": len(queries)}


def _line(label: str, figures: dict, target: str = "") -> str:
    ms = {k: v * 1000 for k, v in figures.items() if k != "queries"}
    text = f"  {label:<34} median {ms['median']:7.1f} ms   p95 {ms['p95']:7.1f} ms   {figures['queries']:3d} queries"
    if "cold" in ms:
        text += f"   (first, cold request {ms['cold']:.1f} ms)"
    return text + (f"   target <= {target} ms" if target else "")


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prisoners", type=int, default=1500)
    parser.add_argument("--poms", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    today = timezone.localdate()
    print(f"Database: {connection.vendor}; {args.prisoners} prisoners, {args.poms} POMs")
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            made = build(prisoners=args.prisoners, poms=args.poms, today=today)
            print(f"Built the benchmark prison in {time.perf_counter() - t0:.1f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {', '.join(TABLES)}")
            prison, runs = made["prison"], args.runs
            homd, pom = Client(), Client()
            homd.force_login(made["homd"])
            pom.force_login(made["busy"].user)
            print(f"\nServer time over {runs} requests each:")
            dashboard = _url("homd_dashboard", prison_code=CODE)
            print(_line("HOMD dashboard, from the cache", timed(homd, dashboard, runs), "400"))
            print(_line("HOMD dashboard, worked out", timed(homd, dashboard + "?refresh=1", runs), "400"))
            naive = timed_call(lambda: naive_dashboard(prison, today), max(3, runs // 4))
            print(_line("  baseline: naive tile counts", naive))
            for label, client, url, target in (
                ("POM caseload (150 cases)", pom, _url("caseload", prison_code=CODE), "200"),
                (
                    "Prisoner profile",
                    homd,
                    _url("prisoner_detail", prison_code=CODE, prison_number=made["case"].prison_number),
                    "",
                ),
                ("Search (by name)", homd, (_url("search", prison_code=CODE) or "") + "?q=Last01", ""),
            ):
                if not url or url.startswith("?"):
                    print(f"  {label:<34} not built yet (no URL)")
                    continue
                print(_line(label, timed(client, url, runs), target))
            from dashboards.national_services import measures_snapshot_record

            started = time.perf_counter()
            measures_snapshot_record(prison=prison, today=today)
            print(f"\nDaily snapshot of the prison's OMiC measures: {(time.perf_counter() - started) * 1000:.0f} ms")
            national = Client()
            national.force_login(made["homd"])
            made["homd"].groups.add(Group.objects.get_or_create(name="national_viewer")[0])
            print(_line("National OMiC measures", timed(national, _url("national_measures"), runs)))
            raise Rollback
    except Rollback:
        print("\nRolled back: nothing was left in the database.")


if __name__ == "__main__":
    main()
