import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from cases.models import Prison
from handover.models import SweepRun
from handover.services.sweep import SweepLocked, sweep
from handover.services.sweep_fanout import sweep_dispatch, sweep_resume, sweep_run_unfinished
from omic.progress import ProgressStream


class Command(BaseCommand):
    help = (
        "Recalculate every prisoner's handover (the cron equivalent of the nightly handover.sweep job): bulk, "
        "only changed rows written, one failing case counted and skipped. Refuses to overlap another sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prison", metavar="CODE", help="Only this prison (its 3-letter code).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--fan-out",
            action="store_true",
            help="Queue one task per prison on the recalc queue (as the nightly job does) and wait for the workers.",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Queue again the prisons not done of today's unfinished fanned-out run (after a worker died); wait.",
        )
        parser.add_argument("--no-wait", action="store_true", help="With --fan-out or --resume: do not wait.")
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait for the workers.")

    def handle(self, *args, prison=None, no_progress=False, fan_out=False, resume=False, **options):
        if prison and not Prison.objects.filter(code=prison.upper()).exists():
            raise CommandError(f"No prison has the code {prison!r}.")
        progress = None if no_progress or options["verbosity"] == 0 else ProgressStream(self.stderr)
        if fan_out or resume:
            if prison:
                raise CommandError("--prison sweeps in process: leave out --fan-out and --resume.")
            run = self._fan_out(resume=resume)
            if options["no_wait"]:
                self.stdout.write(f"Handover sweep run {run.pk}: {run.prisons_total} prisons queued.")
                return
            run = self._wait(run, progress=progress, timeout=options["timeout"])
            self._report(run)
            return
        try:
            run = sweep(today=timezone.localdate(), prison_code=prison.upper() if prison else None, progress=progress)
        except SweepLocked as error:
            raise CommandError(f"Not started: {error}.") from error
        self._report(run)

    def _fan_out(self, *, resume: bool) -> SweepRun:
        today = timezone.localdate()
        if resume:
            run = sweep_run_unfinished(today=today)
            if run is None:
                raise CommandError(f"No fanned-out sweep for {today} is unfinished.")
            self.stderr.write(f"Run {run.pk}: {sweep_resume(run.pk)} prisons queued again.")
            return run
        try:
            return sweep_dispatch(today=today)
        except SweepLocked as error:
            raise CommandError(f"Not started: {error}. --resume queues an unfinished run's prisons again.") from error

    def _wait(self, run: SweepRun, *, progress, timeout: float) -> SweepRun:
        deadline = time.monotonic() + timeout
        with tqdm(total=run.prisons_total, file=progress, disable=progress is None, unit="prison") as bar:
            while True:
                run.refresh_from_db()
                bar.update(run.prisons_done - bar.n)
                if run.finished_at is not None:
                    return run
                if time.monotonic() > deadline:
                    raise CommandError(
                        f"Run {run.pk}: {run.prisons_done} of {run.prisons_total} prisons done after {timeout:.0f}s; "
                        "are the workers listening to the recalc queue?"
                    )
                time.sleep(0.2)

    def _report(self, run: SweepRun) -> None:
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"Handover sweep for {run.calculated_on}: {run.computed} computed, {run.changed} changed, "
            f"{run.errors} errors in {seconds:.1f}s"
        )
        if run.errors:
            self.stderr.write(f"{run.errors} cases could not be calculated: see the log for each one.")
