from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from handover.services.recalculation import SKIPPED, recalculate


class Command(BaseCommand):
    help = "Recalculate one prisoner's handover now, and say whether the stored result changed."

    def add_arguments(self, parser):
        parser.add_argument("prison_number", help="The prisoner's prison number, like A1234BC.")

    def handle(self, *args, prison_number: str, **options):
        number = prison_number.upper()
        outcome = recalculate(number, today=timezone.localdate(), trigger="command")
        if outcome.outcome == SKIPPED:
            raise CommandError(f"{number}: no such prisoner, or no case information (nothing is calculated).")
        handover = outcome.handover
        detail = ""
        if handover is not None:
            detail = (
                f": {handover.responsibility or 'outside OMiC'} ({handover.reason}), handover start "
                f"{handover.handover_start_date or '-'}, handover date {handover.handover_date or '-'}, "
                f"policy {handover.policy}"
            )
        self.stdout.write(f"{number}: {outcome.outcome}{detail}")
