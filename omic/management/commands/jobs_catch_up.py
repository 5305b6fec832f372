from django.core.management.base import BaseCommand
from tqdm import tqdm

from omic.progress import ProgressStream
from omic.queueing import jobs_catch_up


class Command(BaseCommand):
    help = (
        "Run the jobs that could not be queued while the broker was down (the cron equivalent of the "
        "omic.jobs_catch_up job). Each job runs once; a failing one is kept with its error and tried again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="At most this many jobs (default 1000).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, limit=1000, no_progress=False, **options):
        progress = None
        if not no_progress and options["verbosity"] > 0:
            stream = ProgressStream(self.stderr)

            def progress(items):
                return tqdm(items, file=stream, desc="Pending jobs", unit="job")

        counts = jobs_catch_up(limit=limit, progress=progress)
        self.stdout.write(f"{counts.run} caught up, {counts.failed} failed, {counts.waiting} still waiting")
        if counts.failed:
            raise SystemExit(1)
