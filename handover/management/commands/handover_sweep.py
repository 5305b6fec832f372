from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prison
from handover.services.sweep import SweepLocked, sweep


class _ProgressStream:
    """Hands tqdm the command's stderr without OutputWrapper's added line endings (tqdm redraws with \\r)."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")

    def flush(self) -> None:
        self._wrapper.flush()


class Command(BaseCommand):
    help = (
        "Recalculate every prisoner's handover (the cron equivalent of the nightly handover.sweep job): bulk, "
        "only changed rows written, one failing case counted and skipped. Refuses to overlap another sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prison", metavar="CODE", help="Only this prison (its 3-letter code).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, prison=None, no_progress=False, **options):
        if prison and not Prison.objects.filter(code=prison.upper()).exists():
            raise CommandError(f"No prison has the code {prison!r}.")
        progress = None if no_progress or options["verbosity"] == 0 else _ProgressStream(self.stderr)
        try:
            run = sweep(today=timezone.localdate(), prison_code=prison.upper() if prison else None, progress=progress)
        except SweepLocked as error:
            raise CommandError(f"Not started: {error}.") from error
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"Handover sweep for {run.calculated_on}: {run.computed} computed, {run.changed} changed, "
            f"{run.errors} errors in {seconds:.1f}s"
        )
        if run.errors:
            self.stderr.write(f"{run.errors} cases could not be calculated: see the log for each one.")
