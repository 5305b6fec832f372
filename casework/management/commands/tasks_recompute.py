from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from cases.models import Prison
from casework.task_recompute import RecomputeLocked, prisoner_count, tasks_recompute_all


class Command(BaseCommand):
    help = (
        "Recompute every case's tasks from its facts (the cron equivalent of the nightly casework.tasks_recompute "
        "job): bulk reads and writes in chunks; done and not-needed tasks are never changed. Refuses to overlap "
        "another run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prison", metavar="CODE", help="Only this prison (its 3-letter code).")
        parser.add_argument("--chunk-size", type=int, default=2000, help="Cases per chunk (default 2000).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, prison=None, chunk_size=2000, no_progress=False, **options):
        code = prison.upper() if prison else None
        if code and not Prison.objects.filter(code=code).exists():
            raise CommandError(f"No prison has the code {prison!r}.")
        if chunk_size < 1:
            raise CommandError("--chunk-size must be 1 or more.")
        bar = None
        if not no_progress and options["verbosity"] > 0:
            bar = tqdm(total=prisoner_count(prison_code=code), unit="case", file=self.stderr._out)
        try:
            counts = tasks_recompute_all(
                today=timezone.localdate(),
                prison_code=code,
                chunk_size=chunk_size,
                progress=bar.update if bar else None,
            )
        except RecomputeLocked as error:
            raise CommandError(f"Not started: {error}.") from error
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            f"Tasks recomputed: {counts.cases} cases, {counts.created} created, {counts.updated} updated, "
            f"{counts.withdrawn} withdrawn, {counts.errors} errors in {counts.seconds:.1f}s"
        )
        if counts.errors:
            self.stderr.write(f"{counts.errors} cases could not be derived: see the log for each one.")
