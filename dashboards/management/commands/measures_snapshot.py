from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prison
from dashboards.national_services import measures_snapshot_all
from omic.progress import ProgressStream


class Command(BaseCommand):
    help = (
        "Record today's OMiC measures for every prison (the cron equivalent of the dashboards.measures_snapshot "
        "Celery job). A re-run replaces the day's figures; one prison failing is reported and the rest recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prison", metavar="CODE", action="append", help="Only this prison (repeatable).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, prison=None, no_progress=False, **options):
        codes = [c.upper() for c in prison or []]
        unknown = sorted(set(codes) - set(Prison.objects.filter(code__in=codes).values_list("code", flat=True)))
        if unknown:
            raise CommandError(f"No prison has the code {', '.join(unknown)}.")
        progress = None if no_progress or options["verbosity"] == 0 else ProgressStream(self.stderr)
        today = timezone.localdate()
        result = measures_snapshot_all(today=today, prison_codes=codes or None, progress=progress)
        self.stdout.write(
            f"OMiC measures for {today}: {result['recorded']} prison{'s' * (result['recorded'] != 1)} recorded, "
            f"{result['failed']} failed"
        )
        if result["failed"]:
            raise CommandError(f"{result['failed']} prisons could not be recorded: see the log for each one.")
