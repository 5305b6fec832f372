import sys
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from tqdm import tqdm

from cases import importing
from cases.services import prisoner_upsert

ACTOR_LABEL = "import_prisoners"


class Command(BaseCommand):
    help = (
        "Import prisoners, sentences and case information from a CSV or JSON file (see docs/import-format.md). "
        "Exit code 0: all rows imported; 1: some rows failed (the others are saved); 2: the file or its header is bad "
        "and nothing was written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=importing.FORMATS, help="Default: from the file's extension.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, but save nothing.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args, file: Path, format=None, dry_run=False, no_progress=False, **options):
        try:
            rows = importing.read_rows(file, format)
        except importing.ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        counts, errors = Counter(), []
        progress = tqdm(rows, unit="row", file=sys.stderr, disable=no_progress or not sys.stderr.isatty())
        with transaction.atomic() if dry_run else nullcontext():
            for row in progress:
                outcome, row_errors = self._import_row(row, reason=f"Imported from {file.name}")
                errors.extend(row_errors)
                counts[outcome] += 1
            if dry_run:
                transaction.set_rollback(True)
        for error in errors:
            self.stderr.write(str(error))
        summary = ", ".join(f"{counts[key]} {key}" for key in ("created", "updated", "unchanged", "failed"))
        prefix = "Dry run (nothing saved) of" if dry_run else "Imported"
        self.stdout.write(f"{prefix} {file}: {summary}")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} row(s) failed; see the errors above", returncode=1)

    def _import_row(self, row: importing.SourceRow, *, reason: str) -> tuple[str, list[importing.RowError]]:
        """Validate and write one row in its own savepoint, so a refused row leaves nothing behind."""
        data, errors = importing.validate_row(row)
        if errors:
            return "failed", errors
        try:
            with transaction.atomic():
                return prisoner_upsert(data=data, actor_label=ACTOR_LABEL, reason=reason), []
        except ValidationError as exc:
            by_field = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
            return "failed", [
                importing.RowError(row.where, "row" if name == NON_FIELD_ERRORS else name, message)
                for name, messages in by_field.items()
                for message in messages
            ]
        except DatabaseError as exc:
            message = f"The database refused the row: {str(exc).strip().splitlines()[0]}"
            return "failed", [importing.RowError(row.where, importing.integrity_error_column(exc), message)]
