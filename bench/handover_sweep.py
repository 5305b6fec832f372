"""Benchmark of the handover engine: pure calculation, the bulk sweep, and one-prisoner-at-a-time recalculation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omic_h2 .venv/bin/python bench/handover_sweep.py --n 100000

Builds N synthetic prisoners (sentence and case information each, a mix of determinate, indeterminate, recall and
short sentences) in its own prisons (codes QAA, QAB, ...; prison numbers starting Q) with bulk inserts
(COPY on PostgreSQL), then prints:

1. pure calculation throughput: ``calculate()`` over the N cases' facts, one core (target >= 50,000 cases/s);
2. the full sweep (``handover.services.sweep``), first run (every row new: rows, history and audit events inserted)
   and a second, steady run (nothing changed, nothing written) (target <= 60 s for 100,000 on PostgreSQL);
3. the naive way: the single-prisoner recalculation service (``recalculate()``, as the on-change job runs it),
   one prisoner at a time through the ORM, over a sample, extrapolated to N and labelled so, with the ratio to the
   sweep (target >= 10x).

Everything it made is deleted at the end (and any leftovers at the start), unless ``--keep``. The database must be
migrated (``manage.py migrate``). Needs no Celery (the after-commit steps run inline) and sends no email (the bench
delivery unit has no mailbox).
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

from dateutil.relativedelta import relativedelta  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.bulk import insert_rows  # noqa: E402
from cases.models import AuditEvent, CaseInformation, LocalDeliveryUnit, Prison, Prisoner, Sentence  # noqa: E402
from handover.calculations import calculate  # noqa: E402
from handover.facts import fact_rows, facts_from_row  # noqa: E402
from handover.models import CalculatedHandover, CalculatedHandoverHistory, SweepRun  # noqa: E402
from handover.services.recalculation import recalculate  # noqa: E402
from handover.services.sweep import sweep  # noqa: E402

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PRISON_NAME = "Benchmark prison (bench/handover_sweep.py)"
LDU_CODE = "BENCH_HANDOVER"
BATCH = 5000


def prison_codes(n_prisons: int) -> list[str]:
    return [f"QA{LETTERS[i]}" for i in range(n_prisons)]


def prison_number(i: int) -> str:
    return f"Q{i % 10000:04d}{LETTERS[(i // 10000) // 26 % 26]}{LETTERS[(i // 10000) % 26]}"


def cleanup(codes: list[str]) -> None:
    """Delete every row the bench made: raw deletes, dependants first (no signals, no history rows)."""
    numbers = Prisoner.objects.filter(prison_id__in=codes).values("pk")
    AuditEvent.objects.filter(prisoner_id__in=numbers).purge()  # the named path past the append-only trigger
    for relation in Prisoner._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            model = relation.related_model
            model._base_manager.filter(**{f"{relation.field.name}__in": numbers})._raw_delete(connection.alias)
    Prisoner._base_manager.filter(prison_id__in=codes)._raw_delete(connection.alias)
    SweepRun.objects.filter(prison_id__in=codes).delete()
    Prison.objects.filter(code__in=codes, name=PRISON_NAME).delete()
    LocalDeliveryUnit.objects.filter(code=LDU_CODE, cases__isnull=True).delete()


def sentence_fields(rng: random.Random, today: dt.date) -> dict:
    """A mix like a real estate: determinate (some short, some with a PED), indeterminate, recalls."""
    start = today - dt.timedelta(days=rng.randint(10, 6 * 365))
    roll = rng.random()
    if roll < 0.12:
        ted = today + dt.timedelta(days=rng.randint(-700, 10 * 365))
        return {"sentence_type": "indeterminate", "sentence_start_date": start, "tariff_expiry_date": ted}
    crd = max(start + dt.timedelta(days=30), today + dt.timedelta(days=rng.randint(-200, 5 * 365)))
    fields = {"sentence_type": "determinate", "sentence_start_date": start, "conditional_release_date": crd}
    fields["sentence_expiry_date"] = fields["licence_expiry_date"] = crd + relativedelta(years=2)
    if roll < 0.20:
        fields["recalled"] = True
    elif roll < 0.26:
        fields["parole_eligibility_date"] = crd - dt.timedelta(days=rng.randint(60, 700))
    elif roll < 0.28:
        fields["conditional_release_date_override"] = crd + dt.timedelta(days=rng.randint(1, 60))
    return fields


def build(n: int, codes: list[str], today: dt.date, seed: int) -> None:
    rng = random.Random(seed)
    for code in codes:
        Prison.objects.create(code=code, name=PRISON_NAME, estate="mens_closed", is_reception=True)
    ldu = LocalDeliveryUnit.objects.create(code=LDU_CODE, name="Benchmark delivery unit", email="")
    for start in range(0, n, BATCH):
        prisoners, sentences, cases = [], [], []
        for i in range(start, min(n, start + BATCH)):
            number = prison_number(i)
            prisoners.append(
                Prisoner(
                    prison_number=number,
                    first_name="Bench",
                    last_name=f"Case {i}",
                    date_of_birth=today - dt.timedelta(days=rng.randint(19 * 365, 70 * 365)),
                    prison_id=codes[i % len(codes)],
                    prison_arrival_date=today - dt.timedelta(days=rng.randint(0, 700)),
                    legal_status="sentenced",
                    imprisonment_status="SENT03",
                    security_category="C",
                    category_approved_date=today - dt.timedelta(days=30),
                )
            )
            sentences.append(Sentence(prisoner_id=number, **sentence_fields(rng, today)))
            cases.append(
                CaseInformation(
                    prisoner_id=number,
                    mappa_level=rng.choice((None, 0, 1, 2, 3)),
                    enhanced_resourcing=rng.choice((None, True, False)),
                    local_delivery_unit=ldu,
                )
            )
        for model, rows in ((Prisoner, prisoners), (Sentence, sentences), (CaseInformation, cases)):
            for row in rows:
                for field in model._meta.concrete_fields:  # auto_now fields, as bulk_create would set them
                    field.pre_save(row, True)
            insert_rows(model, rows)  # COPY on PostgreSQL, bulk_create elsewhere


def timed(label: str, fn):
    started = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.2f} s", flush=True)
    return value, seconds


def sweep_all(codes: list[str], today: dt.date):
    runs = [sweep(today=today, prison_code=code, trigger="bench") for code in codes]
    return sum(r.computed for r in runs), sum(r.changed for r in runs), sum(r.errors for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic prisoners (default 100,000)")
    parser.add_argument("--prisons", type=int, default=20, help="bench prisons to spread them over (default 20)")
    parser.add_argument("--sample", type=int, default=1000, help="prisoners for the naive run (default 1,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="leave the synthetic data in the database")
    args = parser.parse_args()
    today = timezone.localdate()
    codes = prison_codes(args.prisons)
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}), N = {args.n:,}, day {today}")
    cleanup(codes)
    try:
        _, seconds = timed(f"build {args.n:,} prisoners (bulk inserts)", lambda: build(args.n, codes, today, args.seed))

        print("1. Pure calculation (one core)")
        rows, _ = timed("read the facts rows (one joined query)", lambda: list(fact_rows().filter(prison_id__in=codes)))
        facts, _ = timed("facts from rows", lambda: [facts_from_row(r, today) for r in rows])
        _, seconds = timed("calculate()", lambda: [calculate(f, today) for f in facts])
        print(f"  => {len(facts) / seconds:,.0f} cases/s (target >= 50,000)")

        print("2. Full sweep (bulk, chunked by prison)")
        (computed, changed, errors), first = timed("first sweep, every row new", lambda: sweep_all(codes, today))
        print(f"     {computed:,} computed, {changed:,} changed, {errors:,} errors")
        (computed, changed, errors), steady = timed("second sweep, nothing changed", lambda: sweep_all(codes, today))
        print(f"     {computed:,} computed, {changed:,} changed, {errors:,} errors")
        print(f"  => {first:.1f} s first, {steady:.1f} s steady for {args.n:,} (target <= 60 s)")

        print(f"3. Naive: recalculate() one prisoner at a time through the ORM, over a sample of {args.sample:,}")
        sample = [prison_number(i) for i in random.Random(args.seed).sample(range(args.n), min(args.sample, args.n))]
        _, naive_steady = timed(
            "sample, unchanged", lambda: [recalculate(p, today=today, trigger="bench") for p in sample]
        )
        CalculatedHandoverHistory.objects.filter(prisoner_id__in=sample).delete()
        CalculatedHandover.objects.filter(prisoner_id__in=sample).delete()
        _, naive_first = timed(
            "sample, every row new", lambda: [recalculate(p, today=today, trigger="bench") for p in sample]
        )
        scale = args.n / len(sample)
        print(
            f"  => EXTRAPOLATED to {args.n:,}: {naive_first * scale:,.0f} s every row new "
            f"({naive_first * scale / first:.0f}x the sweep), {naive_steady * scale:,.0f} s unchanged "
            f"({naive_steady * scale / steady:.0f}x the sweep) (target >= 10x)"
        )
    finally:
        if args.keep:
            print("Kept the synthetic data (--keep).")
        else:
            timed("clean up", lambda: cleanup(codes))


if __name__ == "__main__":
    main()
