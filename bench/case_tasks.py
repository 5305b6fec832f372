"""Benchmark of the task engine (DECISIONS.md D-12): the bulk recompute, first and steady, against one case at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omic_tasks .venv/bin/python bench/case_tasks.py --n 10000

Builds N synthetic prisoners with ``bench/handover_sweep.py``'s builder (prisons QAA, QAB, ...; prison numbers
starting Q), runs the handover sweep once so the cases have stored handovers (the task engine reads the earliest
release, handover start date and type from them), then prints:

1. pure derivation throughput (``derive_tasks`` over the N cases' facts, one core);
2. the bulk recompute (``tasks_recompute_all``): the first run, where every task is new, and a steady run where
   nothing changed;
3. the naive way, ``tasks_recompute_for([one case])`` (what the on-change job runs) one case at a time over a
   sample, extrapolated to N and labelled so, with the ratio to the bulk run.

Everything it made is deleted at the end (and any leftovers at the start), unless ``--keep``.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.handover_sweep import build, cleanup, prison_codes, sweep_all  # noqa: E402  (sets Django up)
from cases.models import Prisoner  # noqa: E402
from casework.calculations.tasks import derive_tasks  # noqa: E402
from casework.models import CaseTask  # noqa: E402
from casework.task_facts import case_facts_for_numbers  # noqa: E402
from casework.task_recompute import tasks_recompute_all, tasks_recompute_for  # noqa: E402


def timed(label: str, fn):
    started = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.2f} s", flush=True)
    return value, seconds


def recompute_codes(codes, today):
    totals = [tasks_recompute_all(today=today, prison_code=code) for code in codes]
    return sum(t.cases for t in totals), sum(t.created for t in totals), sum(t.updated for t in totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--prisons", type=int, default=5)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    today = timezone.localdate()
    codes = prison_codes(args.prisons)
    print(f"Database: {connection.vendor}; {args.n} cases in {len(codes)} prisons; today {today}", flush=True)
    cleanup(codes)
    try:
        timed("build", lambda: build(args.n, codes, today, args.seed))
        timed("handover sweep (so the cases have stored handovers)", lambda: sweep_all(codes, today))
        facts, read = timed("read facts (3 queries a chunk)", lambda: case_facts_for_numbers(prison_code=None))
        facts = {k: v for k, v in facts.items() if k.startswith("Q")}
        specs, seconds = timed("pure derivation", lambda: [derive_tasks(f, today=today) for f in facts.values()])
        print(f"    {len(facts) / seconds:,.0f} cases/s, {sum(map(len, specs)):,} tasks", flush=True)
        (cases, created, _), first = timed("bulk recompute, first run", lambda: recompute_codes(codes, today))
        print(f"    {cases:,} cases, {created:,} tasks created", flush=True)
        (cases, created, updated), steady = timed("bulk recompute, steady", lambda: recompute_codes(codes, today))
        print(f"    {cases:,} cases, {created} created, {updated} updated", flush=True)
        sample = list(Prisoner.objects.filter(prison_id__in=codes).values_list("pk", flat=True)[: args.sample])
        CaseTask.objects.filter(prisoner_id__in=sample).delete()

        def naive():
            for number in sample:
                tasks_recompute_for([number], today=today)

        _, seconds = timed(f"one case at a time, {len(sample)} cases (first run)", naive)
        estimate = seconds / len(sample) * args.n
        print(f"    extrapolated to {args.n:,}: {estimate:.1f} s ({estimate / first:.1f}x the bulk first run)")
    finally:
        if not args.keep:
            cleanup(codes)


if __name__ == "__main__":
    main()
