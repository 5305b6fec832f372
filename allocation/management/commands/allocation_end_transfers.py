"""End the POM allocations of cases that have moved to another prison (the nightly job, for cron without beat)."""

from django.core.management.base import BaseCommand

from allocation.services import allocations_end_for_transfers


class Command(BaseCommand):
    help = "End, with the trigger 'transfer', every POM allocation whose POM works in another prison than the case."

    def handle(self, *args, **options):
        ended = allocations_end_for_transfers(actor_label="manage.py allocation_end_transfers")
        self.stdout.write(f"{ended} allocation{'s' if ended != 1 else ''} ended after a transfer")
