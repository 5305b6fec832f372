from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from omic.services import sign_in_records_tidy


class Command(BaseCommand):
    help = (
        "Delete expired sessions, and sign-in records (django-axes' access logs and failure logs) older than "
        "SIGN_IN_LOG_RETENTION_DAYS (the cron equivalent of the nightly omic.sign_in_records_tidy job)."
    )

    def handle(self, *args, **options):
        done = sign_in_records_tidy(now=timezone.now())
        sessions = "cleared" if done.expired_sessions is None else f"{done.expired_sessions} deleted"
        self.stdout.write(f"Expired sessions: {sessions}")
        self.stdout.write(
            f"Sign-in records older than {settings.SIGN_IN_LOG_RETENTION_DAYS} days: {done.sign_ins} sign-ins and "
            f"{done.failed_sign_ins} failed sign-ins deleted"
        )
