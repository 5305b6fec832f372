from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.early_allocation_services import early_allocation_reminders_send


class Command(BaseCommand):
    help = (
        "The daily early allocation reminders (the cron equivalent of the casework.early_allocation_reminders job): "
        "email the POM of each case assessed before the 18-month referral window once it is inside it, to assess "
        "again. Safe to run twice: each assessment gets one reminder."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        self.stdout.write(f"Early allocation reminders for {today:%d %B %Y}")
        counts = early_allocation_reminders_send(
            today=today, progress=lambda number: self.stdout.write(f"  reminding the POM of {number}")
        )
        self.stdout.write(", ".join(f"{value} {name}" for name, value in counts.items()))
