from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prison
from keywork.recording_calculations import parse_month, previous_month
from keywork.recording_quality_services import quality_sample_draw


class Command(BaseCommand):
    help = (
        "Draw the monthly random sample of each key worker's entries for quality checks (the cron equivalent of the "
        "monthly keywork.quality_sample Celery job). Last month by default; a key worker already sampled for the "
        "month keeps their sample, so running it again draws nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prison", help="Only this prison (its 3-letter code).")
        parser.add_argument("--month", type=parse_month, help="The month to sample (YYYY-MM); it must have ended.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        month = options["month"] or previous_month(today)
        prisons = Prison.objects.all()
        if options["prison"]:
            prisons = prisons.filter(code=options["prison"].upper())
            if not prisons.exists():
                raise CommandError(f"No prison with the code {options['prison']}")
        for prison in prisons:
            try:
                drawn = quality_sample_draw(
                    prison=prison, month=month, today=today, now=timezone.now(), actor_label="keywork_quality_sample"
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            entries = sum(s.checks.count() for s in drawn)
            self.stdout.write(f"{prison.code} {month:%Y-%m}: {len(drawn)} key workers sampled, {entries} entries")
