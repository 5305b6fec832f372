"""Delete expired API bearer tokens (run daily from cron or beat; safe to run any time)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from api.client_services import api_token_purge_expired


class Command(BaseCommand):
    help = "Delete expired API bearer tokens."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {api_token_purge_expired(now=timezone.now())} expired tokens")
