"""Tier recalculation speed for 100,000 cases on the configured database (issue #4, "Speed").

    python bench/tiering.py [--cases 100000] [--sample 500] [--chunk 2000]

Prints: the pure calculation throughput (parse and calculate every case's inputs, no database); the full bulk
recalculation (first run: every case gets its first record, case information and audit rows; second run: nothing
changed; third run: 10% of the inputs changed); and the naive one-case-at-a-time rate (``tier_recalculate`` per case,
each writing a changed record) on a sample, with the ratio of the bulk rate to it. Everything it creates is rolled
back at the end, so it can run against any database (DATABASE_URL) without leaving rows behind.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # run as a script from bench/: import the project, not this file as "tiering"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omic.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import CaseInformation, Prison, Prisoner  # noqa: E402
from tiering.models import TierInputs  # noqa: E402
from tiering.services import tier_recalculate, tier_recalculate_all  # noqa: E402
from tiering.services.outcome import outcome_for  # noqa: E402

TODAY = dt.date(2026, 11, 24)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NEEDS = ["ACCOMMODATION", "RELATIONSHIPS", "DRUG_MISUSE", "ALCOHOL_MISUSE", "THINKING_AND_BEHAVIOUR", "ATTITUDES"]


class Rollback(Exception):
    pass


def _inputs(rng: random.Random) -> dict:
    """Plausible probation inputs: weighted to lower risk, as the estate is."""
    inputs = {"rsr": round(rng.choice([0, 1.5, 2.99, 3.0, 5.2, 7.0, 12.4, 30.0]), 2), "ogrs": rng.randint(0, 100)}
    if rng.random() < 0.3:
        inputs["rosh"] = rng.choice(["LOW", "MEDIUM", "MEDIUM", "HIGH", "VERY_HIGH"])
    if rng.random() < 0.1:
        inputs["mappa_level"] = rng.choice(["M1", "M1", "M2", "M3"])
    if rng.random() < 0.2:
        inputs["complexity_registrations"] = rng.sample(["RMDO", "ALSH", "RVLN", "RCCO", "STRG"], rng.randint(1, 3))
    if rng.random() < 0.1:
        inputs["assessment"] = None
    else:
        severities = ["NO_NEED", "STANDARD", "SEVERE"]
        inputs["assessment"] = {"needs": {n: rng.choice(severities) for n in rng.sample(NEEDS, 3)}}
    inputs["iom_nominal"] = rng.random() < 0.05
    return inputs


def _estate(n: int, rng: random.Random) -> list[TierInputs]:
    prisons = [
        Prison.objects.create(code=f"Q{LETTERS[i]}Z", name=f"Bench prison {i}", estate=Prison.Estate.MENS_CLOSED)
        for i in range(10)
    ]
    prisoners = [
        Prisoner(
            prison_number=f"{LETTERS[i // 10000]}{i % 10000:04d}ZQ",
            first_name="Bench",
            last_name=f"Case {i}",
            prison=prisons[i % 10],
            legal_status=Prisoner.LegalStatus.SENTENCED,
        )
        for i in range(n)
    ]
    Prisoner.objects.bulk_create(prisoners, batch_size=5000)
    CaseInformation.objects.bulk_create(
        [CaseInformation(prisoner=p) for p in prisoners[::2]], batch_size=5000
    )  # half have case information, half get it created by the recalculation
    now = timezone.now()
    rows = [
        TierInputs(prisoner=p, model="v2", inputs=_inputs(rng), source="probation", updated_at=now, updated_by="bench")
        for p in prisoners
    ]
    TierInputs.objects.bulk_create(rows, batch_size=5000)
    return rows


def _analyze() -> None:
    """Fresh planner statistics for the rows made inside this (uncommitted) transaction, which autovacuum cannot
    see: without them PostgreSQL plans for the empty tables it last analysed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("cases_prisoner", "cases_caseinformation", "tiering_tierinputs", "tiering_tierrecord"):
                cursor.execute(f"ANALYZE {table}")


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=500, help="cases for the naive one-at-a-time rate")
    parser.add_argument("--chunk", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(4)
    vendor = connection.vendor
    print(f"Tier recalculation benchmark: {args.cases:,} cases on {vendor} ({connection.settings_dict['NAME']})")
    try:
        with transaction.atomic():
            rows, seconds = _timed(lambda: _estate(args.cases, rng))
            _analyze()
            print(f"  setup (bulk insert of prisoners, case information and tier inputs): {seconds:.1f} s")

            def pure():
                for row in rows:
                    outcome_for(model=row.model, inputs=row.inputs, today=TODAY)

            _, seconds = _timed(pure)
            print(f"  pure calculation, no database:          {seconds:6.2f} s  ({args.cases / seconds:,.0f} cases/s)")

            run = lambda: tier_recalculate_all(today=TODAY, chunk_size=args.chunk)  # noqa: E731
            counts, first = _timed(run)
            bulk_rate = counts["changed"] / first
            print(f"  bulk recalculation, first run:          {first:6.2f} s  ({bulk_rate:,.0f} cases/s; {counts})")
            _analyze()
            counts, seconds = _timed(run)
            print(f"  bulk recalculation, nothing changed:    {seconds:6.2f} s  ({counts['unchanged']:,} unchanged)")

            changed = rng.sample(rows, args.cases // 10)
            now = timezone.now()
            for row in changed:
                row.inputs = {**row.inputs, "mappa_level": "M3"}
                row.updated_at = now
            TierInputs.objects.bulk_update(changed, ["inputs", "updated_at"], batch_size=5000)
            counts, seconds = _timed(run)
            print(f"  bulk recalculation, 10% changed:        {seconds:6.2f} s  ({counts['changed']:,} changed)")

            changed_ids = {r.prisoner_id for r in changed}
            sample = rng.sample([r for r in rows if r.prisoner_id not in changed_ids], args.sample)
            for row in sample:
                row.inputs = {**row.inputs, "mappa_level": "M3"}
                row.updated_at = timezone.now()
            TierInputs.objects.bulk_update(sample, ["inputs", "updated_at"])
            prisoners = list(Prisoner.objects.filter(pk__in=[r.prisoner_id for r in sample]))

            def naive():
                for prisoner in prisoners:
                    tier_recalculate(prisoner, today=TODAY, actor_label="bench")

            _, seconds = _timed(naive)
            naive_rate = len(prisoners) / seconds
            print(
                f"  naive one at a time ({len(prisoners)} changed cases): {seconds:6.2f} s  "
                f"({naive_rate:,.0f} cases/s; {args.cases:,} would take {args.cases / naive_rate:,.0f} s)"
            )
            print(f"  bulk first run vs naive: {bulk_rate / naive_rate:.1f} times faster")
            raise Rollback
    except Rollback:
        print("  (everything the benchmark wrote was rolled back)")


if __name__ == "__main__":
    main()
