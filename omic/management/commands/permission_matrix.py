from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omic.permission_matrix import ROLES
from omic.permission_matrix.api import API_OPERATIONS
from omic.permission_matrix.markdown import matrix_markdown
from omic.permission_matrix.pages import PAGES

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = (
        "The permission matrix (omic/permission_matrix/): every page and API operation and who may use it. "
        "--markdown writes docs/permissions.md from it; --check fails when that file is out of date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown", action="store_true", help="Write the matrix as Markdown (docs/permissions.md)."
        )
        parser.add_argument("--output", default=str(DOC), help="Where --markdown writes ('-' for standard output).")
        parser.add_argument("--check", action="store_true", help="Exit 1 if the Markdown file differs from the matrix.")

    def handle(self, *args, markdown=False, output=str(DOC), check=False, **options):
        if check:
            path = Path(output)
            if not path.exists() or path.read_text() != matrix_markdown():
                raise CommandError(f"{path} is out of date: run manage.py permission_matrix --markdown")
            self.stdout.write(f"{path} matches the matrix")
            return
        if markdown:
            text = matrix_markdown()
            if output == "-":
                self.stdout.write(text, ending="")
            else:
                Path(output).write_text(text)
                self.stdout.write(f"Wrote {output}: {len(PAGES)} pages, {len(API_OPERATIONS)} API operations")
            return
        self.stdout.write(f"{len(PAGES)} pages and {len(API_OPERATIONS)} API operations")
        for role in ROLES:
            pages = sum(1 for row in PAGES if row.allows(role))
            operations = sum(1 for op in API_OPERATIONS if op.allows(role))
            self.stdout.write(f"  {role:16} {pages:3} pages, {operations:2} API operations with a browser session")
