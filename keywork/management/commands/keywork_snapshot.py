import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prison
from keywork.job_services import prison_snapshot_record, snapshot_all_prisons


class Command(BaseCommand):
    help = (
        "Record the daily key work figures (the cron equivalent of the keywork.snapshot Celery job). By default "
        "yesterday's, for every prison; a re-run replaces the day's figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="The day to record (YYYY-MM-DD).")
        parser.add_argument("--prison", help="Only this prison (its 3-letter code).")

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate() - dt.timedelta(days=1)
        if options["prison"]:
            prison = Prison.objects.filter(code=options["prison"].upper()).first()
            if prison is None:
                raise CommandError(f"No prison with the code {options['prison']}")
            prison_snapshot_record(prison=prison, day=day)
            count = 1
        else:
            count = snapshot_all_prisons(day=day)
        self.stdout.write(f"Key work figures recorded for {count} prison{'s' if count != 1 else ''} on {day}")
