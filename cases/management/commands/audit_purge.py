from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from cases.audit import PURGE_BATCH_SIZE, audit_purge, audit_purge_cutoff
from cases.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Delete audit events older than the retention period (AUDIT_RETENTION_DAYS, 7 years by default), in batches "
        "(the cron equivalent of the nightly cases.audit_purge job). The only way audit rows are ever deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help=f"Keep this many days (default {settings.AUDIT_RETENTION_DAYS})."
        )
        parser.add_argument("--batch-size", type=int, default=PURGE_BATCH_SIZE, help="Rows deleted per batch.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, days=None, batch_size=PURGE_BATCH_SIZE, no_progress=False, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        today = timezone.localdate()
        cutoff = audit_purge_cutoff(today=today, retention_days=days)
        bar = None
        if not no_progress and options["verbosity"] > 0:
            total = AuditEvent.objects.filter(created_at__lt=cutoff).count()
            bar = tqdm(total=total, unit="row", file=self.stderr._out)
        try:
            deleted = audit_purge(
                today=today, retention_days=days, batch_size=batch_size, progress=bar.update if bar else None
            )
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(f"Audit events deleted: {deleted} (older than {cutoff:%d %B %Y}, kept {days} days)")
