from django.core.management.base import BaseCommand

from omic.services import worker_heartbeat_record


class Command(BaseCommand):
    help = "Record a worker heartbeat (the cron equivalent of the omic.worker_heartbeat Celery job)."

    def handle(self, *args, **options):
        self.stdout.write(f"Heartbeat recorded at {worker_heartbeat_record().isoformat()}")
