from django.core.management.base import BaseCommand
from django.utils import timezone

from handover.services.reminders import reminders_run


class Command(BaseCommand):
    help = (
        "The daily handover reminders (the cron equivalent of the handover.reminders job): bring every handover "
        "alert up to date, then send the due POM reminder emails and the 'assign a COM' emails to delivery units."
    )

    def handle(self, *args, **options):
        counts = reminders_run(today=timezone.localdate())
        self.stdout.write(", ".join(f"{value} {name}" for name, value in counts.items()))
