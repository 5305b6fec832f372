from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Prisoner
from omic import demo
from omic.progress import ProgressStream


def _summary(result: demo.DemoResult) -> str:
    width = max(len(row[1]) for row in result.logins)
    lines = [
        f"Demo logins (every password is {demo.DEMO_PASSWORD}):",
        "",
        f"  {'username':<10} {'role':<{width}} prisons",
    ]
    lines += [f"  {u:<10} {r:<{width}} {p}" for u, r, p in result.logins]
    if result.kept_logins:
        lines += ["", f"Already there and left unchanged: {', '.join(result.kept_logins)}"]
    lines += ["", f"Demo estate (seed {result.seed}):"]
    label_width = max(len(name) for name in result.counts)
    lines += [f"  {name:<{label_width}} {count:>6}" for name, count in result.counts.items()]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Build the demo estate: HMP Leeds, Swaleside and Low Newton with their prisoners, staff and probation "
        "records, and the demo logins (password demo-password-1). Deterministic: the same --seed gives the same data. "
        "Demo rows are bulk-created, so they carry no history records. Refuses to run in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1): same seed, same estate.")
        parser.add_argument("--reset", action="store_true", help="Delete the existing demo estate and rebuild it.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing, silently, if any prisoner exists (for `make run`)."
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the prisoner counts (e.g. 0.05 for a small estate)."
        )

    def handle(self, *args, seed: int, reset: bool, if_empty: bool, scale: float, **options):
        if getattr(settings, "PRODUCTION", False) or getattr(settings, "DJANGO_ENV", "") == "production":
            raise CommandError("seed_demo refuses to run in production (DJANGO_ENV=production): it makes demo logins.")
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        if if_empty and Prisoner.objects.exists():
            return
        if not reset and demo.demo_estate_exists():
            self.stdout.write("Demo data already exists; nothing changed. Use --reset to delete and rebuild it.")
            return
        today = timezone.localdate()
        progress = ProgressStream(self.stderr) if options["verbosity"] > 0 else None
        result = demo.demo_estate_build(seed=seed, today=today, scale=scale, reset=reset, progress=progress)
        self.stdout.write(_summary(result))
