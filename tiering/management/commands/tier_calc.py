"""`python manage.py tier_calc [FILE|-]`: the scriptable door into the tiering engine (shared/spec/TIER-CLI.md).

Reads a JSON array of requests, prints one JSON array of results in the same order and nothing else on standard
output. Exit 0 when every request was computed, 1 when any had an error (all results are still printed), 2 when the
input is not a JSON array of objects (nothing is printed on standard output). Touches no database.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tiering.calculations import calculate_request


class Command(BaseCommand):
    help = "Calculate tiers and POM-type recommendations from a JSON array of requests (TIER-CLI.md)."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="A JSON file of requests; '-' or none reads stdin.")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}", returncode=2) from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text", returncode=2) from error
        try:
            requests = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"the input is not JSON: {error}", returncode=2) from error
        if not isinstance(requests, list):
            raise CommandError("the input must be a JSON array of request objects", returncode=2)
        for index, request in enumerate(requests):
            if not isinstance(request, dict):
                raise CommandError(f"request [{index}] is not a JSON object", returncode=2)
        results = [calculate_request(request) for request in requests]
        self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))
        if any("error" in result for result in results):
            sys.exit(1)
