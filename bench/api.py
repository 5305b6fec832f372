"""API throughput (issue #8): GET /api/v1/handovers/{prisonNumber} and POST /api/v1/events under load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omic_apicore REDIS_URL=redis://127.0.0.1:6379/15 \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/api.py      # --users 20 --seconds 20

Builds, and commits (gunicorn is another process), a benchmark prison (QAP) of ``--prisoners`` cases with sentences,
case information, a COM, a primary POM and stored handover results, and an API client with a bearer token. Then:

1. **baseline**: the same GET through Django's test client, in this process, one request at a time (the server work
   per request with no HTTP, no concurrency);
2. **gunicorn** (``--workers`` sync workers, ``DEBUG`` off) on loopback, driven by **locust** headless with
   ``--users`` concurrent users for ``--seconds``: requests a second, median and 95th percentile (target at least
   300 requests a second with a 95th percentile at most 50 ms at 20 users on a 2-core machine);
3. the **ingest rate** of POST /api/v1/events (``prisoner.sentence.changed`` events, each a new ``eventId``) the same
   way. Events are stored and queued for Celery; no worker runs, so the figure is the ingest itself.

Everything it made (prison, cases, client, events, queued tasks in the broker database) is deleted at the end.
"""

import argparse
import csv
import datetime as dt
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omic.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from api import scopes  # noqa: E402
from api.client_services import api_client_register, api_token_issue  # noqa: E402
from api.models import ApiClient  # noqa: E402
from cases.models import (  # noqa: E402
    CaseInformation,
    CommunityOffenderManager,
    PomAllocation,
    PomProfile,
    Prison,
    Prisoner,
    Sentence,
)
from handover.models import CalculatedHandover  # noqa: E402

CODE = "QAP"
CLIENT_NAME = "bench/api.py"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
VENV = ROOT / ".venv" / "bin"

LOCUSTFILE = """
import json, os, random, uuid, datetime
from locust import task
from locust.contrib.fasthttp import FastHttpUser

NUMBERS = os.environ["BENCH_NUMBERS"].split(",")
HEADERS = {"Authorization": "Bearer " + os.environ["BENCH_TOKEN"], "Accept": "application/json"}
MODE = os.environ["BENCH_MODE"]


class ApiUser(FastHttpUser):
    @task
    def call(self):
        number = random.choice(NUMBERS)
        if MODE == "handover":
            self.client.get("/api/v1/handovers/" + number, headers=HEADERS, name="GET handover")
        else:
            body = {
                "eventId": str(uuid.uuid4()),
                "eventType": "prisoner.sentence.changed",
                "occurredAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                "personReference": {"identifiers": [{"type": "NOMS", "value": number}]},
                "additionalInformation": {},
            }
            with self.client.post("/api/v1/events", data=json.dumps(body), headers={**HEADERS,
                    "Content-Type": "application/json"}, name="POST event", catch_response=True) as response:
                if response.status_code != 202:
                    response.failure(f"{response.status_code}")
"""


def prison_number(i: int) -> str:
    return f"Q{i:04d}{LETTERS[i // 260 % 26]}{LETTERS[i % 26]}"


def cleanup() -> None:
    from integration.models import InboundEvent

    numbers = Prisoner.objects.filter(prison_id=CODE).values_list("prison_number", flat=True)
    InboundEvent.objects.filter(prison_number__in=list(numbers)).delete()
    for client in ApiClient.objects.filter(name=CLIENT_NAME):
        user = client.user
        client.delete()
        user.delete()
    PomAllocation.objects.filter(prisoner__prison_id=CODE).delete()
    Prisoner.objects.filter(prison_id=CODE).delete()
    PomProfile.objects.filter(prison_id=CODE).delete()
    get_user_model().objects.filter(username__startswith="bench-api-").delete()
    CommunityOffenderManager.objects.filter(email__endswith="@bench-api.example").delete()
    Prison.objects.filter(code=CODE).delete()


@transaction.atomic
def build(*, prisoners: int, today: dt.date) -> list[str]:
    rng = random.Random(8)
    now = timezone.now()
    prison = Prison.objects.create(code=CODE, name="Benchmark prison (bench/api.py)", estate="mens_closed")
    users = [
        get_user_model().objects.create(
            username=f"bench-api-pom-{i}", first_name="Pom", last_name=f"Bench{i}", email=f"pom{i}@bench-api.example"
        )
        for i in range(20)
    ]
    poms = [PomProfile.objects.create(user=u, prison=prison, pom_type="prison") for u in users]
    coms = CommunityOffenderManager.objects.bulk_create(
        CommunityOffenderManager(name=f"Com Bench{i}", email=f"com{i}@bench-api.example") for i in range(50)
    )
    numbers = [prison_number(i) for i in range(prisoners)]
    Prisoner.objects.bulk_create(
        Prisoner(prison_number=n, first_name="Bench", last_name=f"Case{i}", prison=prison, legal_status="sentenced")
        for i, n in enumerate(numbers)
    )
    Sentence.objects.bulk_create(
        Sentence(
            prisoner_id=n,
            sentence_type="determinate",
            sentence_start_date=today - dt.timedelta(days=rng.randint(30, 700)),
            conditional_release_date=today + dt.timedelta(days=rng.randint(60, 2000)),
        )
        for n in numbers
    )
    CaseInformation.objects.bulk_create(
        CaseInformation(
            prisoner_id=n, tier=rng.choice("ABCD"), tier_source="manual", tier_date=today, com=rng.choice(coms)
        )  # fmt: skip
        for n in numbers
    )
    CalculatedHandover.objects.filter(prisoner__prison=prison).delete()
    CalculatedHandover.objects.bulk_create(
        CalculatedHandover(
            prisoner_id=n,
            responsibility=rng.choice(["CustodyOnly", "CustodyWithCom", "Community"]),
            handover_date=today + dt.timedelta(days=rng.randint(-100, 600)),
            handover_start_date=None,
            reason="determinate",
            handover_type="standard",
            policy="current",
            earliest_release_type="CRD",
            calculated_on=today,
            last_calculated_at=now,
            last_changed_at=now,
        )
        for n in numbers
    )
    PomAllocation.objects.bulk_create(
        PomAllocation(prisoner_id=n, pom=rng.choice(poms), role="primary", allocated_at=now) for n in numbers
    )
    return numbers


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def baseline(numbers: list[str], token: str, runs: int) -> dict:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(f"/api/v1/handovers/{numbers[0]}")  # warm: the token is cached now
    times = []
    cpu = time.process_time()
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(f"/api/v1/handovers/{random.choice(numbers)}")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
    cpu_ms = (time.process_time() - cpu) * 1000 / runs
    return {
        "rps": 1000 / statistics.mean(times),
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "cpu_ms": cpu_ms,
    }


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time used so far by gunicorn's master and workers (user + system)."""
    import psutil

    parent = psutil.Process(process.pid)
    total = 0.0
    for proc in [parent, *parent.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    command = [str(VENV / "gunicorn"), "omic.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--log-level", "warning", "--backlog", "512"]  # fmt: skip
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ping", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def run_locust(*, port: int, mode: str, users: int, seconds: int, numbers: list[str], token: str, server=None) -> dict:
    cpu_before = server_cpu_seconds(server) if server is not None else 0.0
    with tempfile.TemporaryDirectory() as folder:
        locustfile = Path(folder) / "locustfile.py"
        locustfile.write_text(LOCUSTFILE)
        env = {**os.environ, "BENCH_NUMBERS": ",".join(numbers), "BENCH_TOKEN": token, "BENCH_MODE": mode}
        subprocess.run(  # noqa: S603
            [str(VENV / "locust"), "-f", str(locustfile), "--headless", "-u", str(users), "-r", str(users),
             "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv", f"{folder}/out", "--only-summary",
             "--loglevel", "WARNING"],
            check=True, env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with open(f"{folder}/out_stats.csv") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")

    def number(name):
        try:
            return float(row[name])
        except ValueError:  # "N/A" when nothing was measured
            return float("nan")

    requests = int(row["Request Count"])
    figures = {
        "requests": requests,
        "failures": int(row["Failure Count"]),
        "rps": number("Requests/s"),
        "p50": number("50%"),
        "p95": number("95%"),
    }
    if server is not None and requests:
        figures["cpu_ms"] = (server_cpu_seconds(server) - cpu_before) * 1000 / requests
    return figures


def show(label: str, figures: dict) -> None:
    extra = f", {figures['requests']} requests, {figures['failures']} failed" if "requests" in figures else ""
    rate, p50, p95 = figures["rps"], figures["p50"], figures["p95"]
    print(f"  {label:<44} {rate:8.0f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms{extra}")
    if "cpu_ms" in figures:
        cores, cpu_ms = os.cpu_count() or 1, figures["cpu_ms"]
        where = "server" if "requests" in figures else "in-process"
        ceiling = cores * 1000 / cpu_ms
        print(f"  {'':<44} {where} CPU {cpu_ms:.2f} ms a request (at most {ceiling:.0f} req/s on {cores} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prisoners", type=int, default=2000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--baseline-runs", type=int, default=500)
    parser.add_argument("--skip-events", action="store_true")
    args = parser.parse_args()

    engine = settings.DATABASES["default"]["ENGINE"]
    print(f"Database: {engine.rsplit('.', 1)[-1]}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    if not settings.DATABASE_IS_POSTGRES:
        print("  (SQLite: figures mean little; set DATABASE_URL=postgres://...)")
    cleanup()
    today = timezone.localdate()
    numbers = build(prisoners=args.prisoners, today=today)
    client, _secret = api_client_register(
        name=CLIENT_NAME, scopes=[scopes.READ_HANDOVERS, scopes.WRITE_PRISONERS], rate_limit_per_minute=100_000
    )
    token = api_token_issue(client=client).access_token
    gunicorn = None
    try:
        print(f"{args.prisoners} cases in {CODE}; {args.users} concurrent users for {args.seconds} s each run\n")
        print("GET /api/v1/handovers/{prisonNumber}")
        show("baseline: Django test client, in-process", baseline(numbers, token, args.baseline_runs))
        port = free_port()
        gunicorn = start_gunicorn(port, args.workers, args.threads)
        label = f"gunicorn {args.workers} workers" + (f" x {args.threads} threads" if args.threads > 1 else "")
        run_locust(port=port, mode="handover", users=args.users, seconds=5, numbers=numbers, token=token)  # warm up
        handover = run_locust(port=port, mode="handover", users=args.users, seconds=args.seconds, numbers=numbers,
                              token=token, server=gunicorn)  # fmt: skip
        show(f"{label}, locust {args.users} users", handover)
        ok = handover["rps"] >= 300 and handover["p95"] <= 50 and handover["failures"] == 0
        print(f"  target >= 300 req/s and p95 <= 50 ms: {'met' if ok else 'NOT met'}")
        print(f"  (load average while measuring: {os.getloadavg()[0]:.1f}; other work on the machine lowers these)")
        if not args.skip_events:
            print("\nPOST /api/v1/events (ingest: stored and queued; no worker running)")
            events = run_locust(port=port, mode="events", users=args.users, seconds=args.seconds, numbers=numbers,
                                token=token, server=gunicorn)  # fmt: skip
            show(f"{label}, locust {args.users} users", events)
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        cleanup()
        if settings.CELERY_BROKER_URL.startswith("redis://") and not args.skip_events:
            from omic.celery import app

            print(f"\nPurged {app.control.purge()} queued tasks from the broker")


if __name__ == "__main__":
    main()
