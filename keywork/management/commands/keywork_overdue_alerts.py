import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prison
from keywork.recording_services import overdue_alerts_refresh, overdue_alerts_refresh_all


class Command(BaseCommand):
    help = (
        "Raise a key_work_overdue alert for each prisoner overdue a key work session and resolve those no longer "
        "overdue (the cron equivalent of the daily keywork.overdue_alerts Celery job). Safe to run more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prison", help="Only this prison (its 3-letter code).")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        if options["prison"]:
            prison = Prison.objects.filter(code=options["prison"].upper()).first()
            if prison is None:
                raise CommandError(f"No prison with the code {options['prison']}")
            results = {prison.code: overdue_alerts_refresh(prison=prison, today=today)}
        else:
            results = overdue_alerts_refresh_all(today=today)
        for code, counts in results.items():
            self.stdout.write(
                f"{code}: {counts['raised']} raised, {counts['resolved']} resolved, {counts['updated']} updated"
            )
