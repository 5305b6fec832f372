"""`python manage.py handover_calc [FILE|-]`: the pure handover calculation as a scriptable door (HANDOVER-CLI.md).

Reads a JSON array of cases (FILE, or standard input when FILE is absent or "-") and prints one JSON array of
results, in the same order, and nothing else on standard output. Exit 0 when every case was computed, 1 when any
case had an error (the others are still printed), 2 when the input is not a JSON array of objects.
It reads no database and needs no migrations.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from handover.calculations import calculate
from handover.calculations.inputs import FieldError, error_to_json, read_case, result_to_json


def run_cases(cases: list[dict]) -> tuple[list[dict], int]:
    """Results for every case, in order, and how many had errors."""
    out, failed = [], 0
    for data in cases:
        case_id = data.get("id")
        try:
            as_of, policy, facts = read_case(data)
        except FieldError as exc:
            out.append(error_to_json(case_id, str(exc)))
            failed += 1
            continue
        out.append(result_to_json(case_id, calculate(facts, as_of, policy)))
    return out, failed


class Command(BaseCommand):
    help = "Calculate handover dates and responsibility for a JSON array of cases (see HANDOVER-CLI.md)."
    requires_system_checks = []  # the pure calculation: no checks, no database, no migrations
    requires_migrations_checks = False
    stealth_options = ("stdin",)  # call_command(..., stdin=StringIO(...)) in tests

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help='a JSON file of cases; "-" or none: standard input')

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                stream = options.get("stdin") or sys.stdin
                text = stream.read()
            else:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
        try:
            cases = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"the input is not JSON: {exc}", returncode=2) from None
        if not isinstance(cases, list) or not all(isinstance(case, dict) for case in cases):
            raise CommandError("the input must be a JSON array of objects", returncode=2)
        results, failed = run_cases(cases)
        self.stdout.write(json.dumps(results))
        if failed:
            raise CommandError(f"{failed} of {len(cases)} cases could not be calculated", returncode=1)
