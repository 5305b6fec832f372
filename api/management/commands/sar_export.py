"""Export everything held about one person as JSON, for a subject access request (the API's content, offline)."""

import datetime as dt
import json
import os
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from api.sar_selectors import subject_access_content
from api.sar_services import subject_access_record
from cases.models import Prisoner


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date: give it as YYYY-MM-DD.") from error


def write_private(path: str, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only, whatever was there: a fresh temporary file in the same
    directory (O_EXCL|O_NOFOLLOW: never an existing file or a symlink planted there), mode 0600 set on the open
    file, then renamed over ``path`` (a rename replaces a symlink at ``path``, it never writes through it)."""
    directory, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            descriptor = None
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if descriptor is not None:
            os.close(descriptor)
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise


class Command(BaseCommand):
    help = (
        "Write everything held about one person (by prison number) as JSON, the same content as the API's subject "
        "access request; the export is recorded on the person's audit trail. The file is readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("prison_number", help="The person's prison number, e.g. A1234BC.")
        parser.add_argument("--out", metavar="FILE", help="Write to FILE (default: standard output).")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="Only records from this day.")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="Only records up to this day.")
        parser.add_argument(
            "--sensitive-notes", action="store_true", help="Include the text of sensitive key work notes."
        )

    def handle(self, *args, prison_number, out=None, date_from=None, date_to=None, sensitive_notes=False, **options):
        number = prison_number.strip().upper()
        start = _date(date_from) if date_from else None
        end = _date(date_to) if date_to else None
        if start and end and start > end:
            raise CommandError("--from must be on or before --to.")
        prisoner = Prisoner.objects.filter(prison_number=number).first() if "\x00" not in number else None
        if prisoner is None:
            raise CommandError(f"No prisoner has the prison number {prison_number!r}.")
        content = subject_access_content(
            prisoner=prisoner, date_from=start, date_to=end, sensitive_notes=sensitive_notes
        )
        text = json.dumps({"content": content}, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False) + "\n"
        # The audit row first, in one transaction with the write: no data leaves unaudited, and a failed write
        # leaves no audit row of an export that did not happen.
        with transaction.atomic():
            subject_access_record(
                prisoner=prisoner,
                actor=None,
                actor_label="manage.py sar_export",
                date_from=start,
                date_to=end,
                sections=content.keys(),
                sensitive_notes=sensitive_notes,
                reason="Subject access request exported with manage.py sar_export",
            )
            if out:
                try:
                    write_private(out, text)
                except OSError as error:
                    raise CommandError(f"Cannot write {out}: {error.strerror}.") from error
            else:
                self.stdout.write(text, ending="")
        if out:
            sections = sum(len(rows) for name, rows in content.items() if isinstance(rows, list))
            self.stderr.write(f"Wrote {number}'s record ({sections} rows in {len(content)} sections) to {out}")
