import datetime as dt
import json
from dataclasses import asdict
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prison
from keywork.kpi_selectors import key_worker_kpis, prison_kpi_report

HELP = """Print a prison's key work KPIs for a period, with the previous period of the same length, and each key
worker's figures (keywork-tier-reference.md 1.6 with the DECISIONS.md D-15 fixes).

With --json the output is one JSON object:

  {"prison": "LEI", "from": "2026-01-01", "to": "2026-01-31", "frequency_weeks": 1, "session_minutes": 45,
   "current":  {PERIOD}, "previous": {PERIOD},
   "key_workers": [{"user_id": 12, "name": "Smith, Jo", "status": "Active", "allocated_now": 6, "capacity": 6,
                    "allocations": 7, "projected_sessions": 26, "sessions": 20, "entries": 3,
                    "compliance": "76.92"}, ...]}

where PERIOD is {"start", "end" (ISO dates), "days", "prisoners", "high_complexity", "eligible", "assigned",
"active_key_workers" (truncated means of the daily snapshots, null with none), "percentage_assigned" (string, 2
places, null when nobody is eligible), "projected_sessions", "sessions", "entries", "compliance" (string, 2 places,
null when nothing was projected; "0.00" when nothing was recorded), "average_session_minutes" (null with no
sessions), "standard_session_minutes", "reception_to_allocation_days", "reception_to_session_days" (truncated
means, null with none)}. Percentages are strings so they keep their exact 2 places.
"""


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--prison", required=True, help="The prison's 3-letter code.")
        parser.add_argument("--from", dest="start", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="Print JSON (the shape is described above).")

    def handle(self, *args, **options):
        prison = Prison.objects.filter(code=options["prison"].upper()).first()
        if prison is None:
            raise CommandError(f"No prison with the code {options['prison']}")
        start, end = options["start"], options["end"]
        if end < start:
            raise CommandError("--to must be on or after --from")
        report = prison_kpi_report(prison=prison, start=start, end=end, today=timezone.localdate())
        workers = key_worker_kpis(prison=prison, start=start, end=end, config=report.config)
        data = {
            "prison": prison.code,
            "from": start,
            "to": end,
            "frequency_weeks": report.config.frequency_weeks,
            "session_minutes": report.config.session_minutes,
            "current": asdict(report.current),
            "previous": asdict(report.previous),
            "key_workers": [asdict(w) for w in workers],
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, default=_jsonable, indent=2))
            return
        for label, kpis in (("This period", report.current), ("Previous period", report.previous)):
            self.stdout.write(f"{label}: {kpis.start} to {kpis.end} ({kpis.days} days)")
            self.stdout.write(
                f"  eligible {kpis.eligible}, with a key worker {kpis.assigned} ({kpis.percentage_assigned}%)"
            )
            self.stdout.write(
                f"  sessions {kpis.sessions} of {kpis.projected_sessions} projected ({kpis.compliance}%), "
                f"entries {kpis.entries}, active key workers {kpis.active_key_workers}"
            )
        for w in workers:
            self.stdout.write(
                f"  {w.name}: {w.sessions} of {w.projected_sessions} sessions ({w.compliance}%), "
                f"{w.allocated_now} prisoners now"
            )
