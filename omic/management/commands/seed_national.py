import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from omic import national_seed
from omic.progress import ProgressStream


class Command(BaseCommand):
    help = (
        "Build a national data set for benchmarks: about 120 prisons (men's local and training, men's open, women's, "
        "youth), 85,000 prisoners with sentences and case information, 3,000 POMs, 15,000 key workers and their "
        "allocations, with bulk inserts (COPY on PostgreSQL). Prison codes start with Y and usernames with "
        "'national.'; --replace deletes exactly those rows first. Deterministic for one --seed. Refuses to run in "
        "production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prisons", type=int, default=120, help="Number of prisons (default 120, at most 676).")
        parser.add_argument("--prisoners", type=int, default=85_000, help="Number of prisoners (default 85,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1): same seed, same estate.")
        parser.add_argument("--replace", action="store_true", help="Delete the national data set and build it again.")
        parser.add_argument("--delete", action="store_true", help="Only delete the national data set.")

    def handle(self, *args, prisons: int, prisoners: int, seed: int, replace: bool, delete: bool, **options):
        if getattr(settings, "PRODUCTION", False) or getattr(settings, "DJANGO_ENV", "") == "production":
            raise CommandError("seed_national refuses to run in production (DJANGO_ENV=production).")
        if not 1 <= prisons <= 26 * 26:
            raise CommandError("--prisons must be between 1 and 676.")
        if prisoners < prisons * 10:
            raise CommandError("--prisoners must be at least 10 for each prison.")
        started = time.perf_counter()
        if delete:
            national_seed.national_estate_delete()
            self.stdout.write(f"Deleted the national data set in {time.perf_counter() - started:.1f} s.")
            return
        if not replace and national_seed.national_estate_exists():
            raise CommandError("The national data set already exists; nothing changed. Use --replace to rebuild it.")
        progress = ProgressStream(self.stderr) if options["verbosity"] > 0 else None
        counts = national_seed.national_estate_build(
            seed=seed,
            today=timezone.localdate(),
            prisons=prisons,
            prisoners=prisoners,
            replace=replace,
            progress=progress,
        )
        width = max(map(len, counts))
        self.stdout.write(f"National data set (seed {seed}) built in {time.perf_counter() - started:.1f} s:")
        self.stdout.write("\n".join(f"  {label:<{width}} {count:>7,}" for label, count in counts.items()))
