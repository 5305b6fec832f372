from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prison
from oversight.services import oversight_samples_draw_all


class Command(BaseCommand):
    help = (
        "Draw this month's sample of each POM's cases for the HOMD's oversight audits (the cron equivalent of the "
        "monthly oversight.draw_sample Celery job). A POM already sampled this month keeps their sample, so running "
        "it again draws nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prison", help="Only this prison (its 3-letter code).")

    def handle(self, *args, **options):
        code = (options["prison"] or "").upper()
        if code and not Prison.objects.filter(code=code).exists():
            raise CommandError(f"No prison with the code {options['prison']}")
        today = timezone.localdate()
        self.stdout.write(f"Drawing the oversight sample for {today:%B %Y}")
        verbosity = options["verbosity"]
        drawn = oversight_samples_draw_all(
            today=today,
            now=timezone.now(),
            prison_code=code,
            progress=(lambda line: self.stdout.write(f"  {line}")) if verbosity >= 1 else None,
        )
        for prison_code, count in drawn.items():
            self.stdout.write(f"{prison_code}: {count} POM{'s' if count != 1 else ''} sampled")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(drawn.values())} POM samples in {len(drawn)} prisons"))
