import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from handover.services.preview import SHOWN, policy_preview

POLICIES = ("2019", "2022-10", "2023-05", "2023-11", "current")


def _text(value) -> str:
    if value is None or value == "":
        return "-"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class Command(BaseCommand):
    help = (
        "Policy preview: compare the stored handover results with a chosen policy version and list the cases that "
        "would change and how. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--policy", required=True, choices=POLICIES, help="The policy version to preview.")
        parser.add_argument("--prison", metavar="CODE", help="Only this prison (its 3-letter code).")
        parser.add_argument("--csv", action="store_true", help="One CSV row per changed field, on standard output.")

    def handle(self, *args, policy: str, prison=None, csv: bool = False, **options):
        rows = policy_preview(policy=policy, today=timezone.localdate(), prison_code=prison.upper() if prison else None)
        if csv:
            self._csv(rows)
            return
        for row in rows:
            self.stdout.write(f"{row.prison_number} {row.name} ({row.prison_code}), stored under {row.stored_policy}:")
            if row.error:
                self.stdout.write(f"  error: {row.error}")
            for d in row.differences:
                self.stdout.write(f"  {d.label}: {_text(d.stored)} -> {_text(d.preview)}")
        failed = sum(1 for row in rows if row.error)
        self.stdout.write(f"{len(rows) - failed} cases would change under policy {policy}; {failed} errors")
        if failed:
            raise CommandError(f"{failed} cases could not be calculated under policy {policy}")

    def _csv(self, rows):
        writer = csv.writer(self.stdout)
        writer.writerow(["prison number", "name", "prison", "stored policy", "field", "stored", "preview", "error"])
        for row in rows:
            base = [row.prison_number, row.name, row.prison_code, row.stored_policy]
            if row.error:
                writer.writerow([*base, "", "", "", row.error])
            for d in row.differences:
                writer.writerow([*base, SHOWN[d.field], _text(d.stored), _text(d.preview), ""])
