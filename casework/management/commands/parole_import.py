"""Import parole reviews from a CSV file with a header row (all or nothing; see ``casework.parole_imports``)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.parole_imports import COLUMNS, parole_csv_import


class Command(BaseCommand):
    help = (
        "Import parole reviews from a CSV file with a header row. Columns: "
        + ", ".join(COLUMNS)
        + ". All or nothing: every bad row is reported with its line and column, and then nothing is written. "
        "Idempotent by review id."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file, or - to read standard input")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, then write nothing")

    def handle(self, *args, path: str, dry_run: bool, **options):
        today = timezone.localdate()

        def progress(rows: int) -> None:
            self.stdout.write(f"{rows} rows checked")

        try:
            handle = sys.stdin if path == "-" else open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            result = parole_csv_import(handle, today=today, dry_run=dry_run, progress=progress)
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text (byte {error.start})") from error
        finally:
            if handle is not sys.stdin:
                handle.close()
        for message in result.errors:
            self.stderr.write(message)
        if result.errors:
            raise CommandError(f"{len(result.errors)} problem(s) found in {result.rows} rows: nothing was imported")
        counts = ", ".join(f"{result.counts[k]} {k}" for k in ("created", "updated", "unchanged"))
        verb = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {result.rows} rows: {counts}"))
