"""`python manage.py tier_recalculate [--prison CODE]`: recalculate every case's tier from its stored inputs.

The same service the nightly Celery job calls, for cron on a single machine. Writes only the cases whose tier changed.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from cases.models import Prison
from tiering.selectors import tier_inputs_count
from tiering.services import tier_recalculate_all


class Command(BaseCommand):
    help = "Recalculate the tier of every case (or one prison's cases) from its stored inputs."

    def add_arguments(self, parser):
        parser.add_argument("--prison", help="Only this prison's cases (its 3-letter code).")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args, prison: str | None = None, no_progress: bool = False, **options):
        target = None
        if prison:
            target = Prison.objects.filter(code=prison.upper()).first()
            if target is None:
                raise CommandError(f"No prison has the code {prison!r}")
        today = timezone.localdate()
        total = tier_inputs_count(prison=target)
        with tqdm(total=total, unit="case", file=sys.stderr, disable=no_progress or None) as bar:
            counts = tier_recalculate_all(
                today=today, prison=target, actor_label="tier_recalculate", progress=bar.update
            )
        self.stdout.write(
            f"{counts['checked']} checked, {counts['changed']} changed, {counts['unchanged']} unchanged, "
            f"{counts['kept_by_hand']} kept (entered by hand), {counts['failed']} failed"
        )
        if counts["failed"]:
            sys.exit(1)
