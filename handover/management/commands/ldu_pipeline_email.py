from django.core.management.base import BaseCommand
from django.utils import timezone

from handover.services.notifications import ldu_pipeline_send


class Command(BaseCommand):
    help = (
        "Email each delivery unit the CSV of its cases starting handover within 45 days (the cron equivalent of the "
        "monthly handover.ldu_pipeline job, run on the 1st). A mailbox already sent one this month is skipped."
    )

    def handle(self, *args, **options):
        sent = ldu_pipeline_send(today=timezone.localdate())
        self.stdout.write(f"{sent} pipeline emails sent")
