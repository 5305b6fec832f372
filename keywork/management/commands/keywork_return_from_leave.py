import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from keywork.job_services import key_workers_return_from_leave


class Command(BaseCommand):
    help = (
        "Make key workers on annual leave active again once their return date has come (the cron equivalent of the "
        "keywork.return_from_leave Celery job)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        count = key_workers_return_from_leave(today=today, actor_label="keywork_return_from_leave")
        self.stdout.write(f"{count} key worker{'s' if count != 1 else ''} back from annual leave on {today}")
