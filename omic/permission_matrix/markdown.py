"""docs/permissions.md, generated from the matrix (``manage.py permission_matrix --markdown``)."""

import re

from omic.permission_matrix import (
    ANONYMOUS,
    CASE_RECORD,
    POM,
    POST,
    ROLES,
    SENSITIVE_NOTES,
    ApiOperation,
    PageAction,
)

ROLE_HEADINGS = {
    "pom": "POM",
    "homd": "HOMD",
    "homs": "HOMS",
    "case_admin": "Case admin",
    "key_worker": "Key worker",
    "national_viewer": "National",
    "service_admin": "Service admin",
    ANONYMOUS: "Signed out",
}

INTRO = """# Permissions

Generated from `omic/permission_matrix/` by `python manage.py permission_matrix --markdown`: do not edit by hand
(a test fails when this file and the matrix differ).

Every page and API operation of the service, and who may use it. Roles are Django groups (DECISIONS.md D-17); a
user may hold several and gets the union. `tests/security/test_permission_matrix.py` walks every URL pattern and
API operation for every role and checks each answer against this matrix; a URL or operation missing from the
matrix fails that test.

- **✓**: allowed. **read**: may open the page, but not send its form (POST). **✓ own cases**: a POM may send
  the form only for a case allocated to them (primary or co-working); for any other case the answer is 403.
  **–**: refused (403; signed-out users are sent to sign in instead).
- **Prison**: the page lives under `/prisons/<CODE>/`. A user who does not work in that prison gets 404 for every
  URL and every method, whatever their role (cases/scoping.py). National viewers and service admins work in no
  prison, so prison pages answer them 404 too.
- **Permission**: the `rules` permission the view checks (each app's `rules.py`); "sign-in" means any signed-in
  user, "public" means no sign-in.
"""


def _cell(row: PageAction, role: str) -> str:
    reads = role in row.roles
    writes = "POST" in row.methods and role in row.posters
    if row.methods == POST:
        reads = writes
    if not reads and not writes:
        return "–"
    if "POST" in row.methods and not writes:
        return "read"
    if writes and row.own_case and role == POM:
        return "✓ own cases"
    return "✓"


def _permission(row: PageAction) -> str:
    if row.perm is None:
        return "public" if ANONYMOUS in row.roles else ("Django staff" if row.name == "admin:*" else "sign-in")
    text = f"`{row.perm}`"
    if row.write_perm and row.write_perm != row.perm:
        text += f", POST `{row.write_perm}`"
    if row.own_case and row.own_case not in (row.perm, row.write_perm):
        text += f", own case `{row.own_case}`"
    return text


def page_table(pages: list[PageAction], routes: dict[str, str]) -> list[str]:
    roles = (*ROLES, ANONYMOUS)
    lines = [
        "| Action | Path | Methods | "
        + " | ".join(ROLE_HEADINGS[r] for r in roles)
        + " | Prison | Permission | Notes |",
        "|---|---|---|" + "---|" * len(roles) + "---|---|---|",
    ]
    for row in pages:
        cells = [f"`{row.name}`", f"`/{routes.get(row.name, '')}`", ", ".join(row.methods)]
        cells += [_cell(row, r) for r in roles]
        cells += ["yes" if row.prison else "", _permission(row), row.note]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def api_table(operations: list[ApiOperation], routes: dict[str, str]) -> list[str]:
    lines = [
        "| operationId | Method and path | Client scopes | Staff session | Prison-scoped | Notes |",
        "|---|---|---|---|---|---|",
    ]
    for op in operations:
        scope = " and ".join(f"`{s}`" for s in op.scopes) or (
            " or ".join(f"`{s}`" for s in op.any_of_scopes) if op.any_of_scopes else "none"
        )
        if op.own_client:
            scope += " (own records only)"
        staff = ", ".join(ROLE_HEADINGS[r] for r in ROLES if r in op.roles) or "–"
        cells = [f"`{op.operation_id}`", f"`{op.method} /{routes.get(op.name, '')}`", scope, staff]
        cells += ["yes" if op.prison else "", op.note]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render(pages: list[PageAction], operations: list[ApiOperation], routes: dict[str, str]) -> str:
    sensitive = ", ".join(ROLE_HEADINGS[r] for r in ROLES if r in SENSITIVE_NOTES["roles"])
    record_readers = ", ".join(ROLE_HEADINGS[r] for r in ROLES if r in CASE_RECORD["roles"])
    parts = [
        INTRO,
        f"## Pages ({len(pages)})",
        "",
        *page_table(pages, routes),
        "",
        f"## API operations ({len(operations)})",
        "",
        "Anonymous callers get 401 from every operation but `oauth_token`. A machine client restricted to some",
        "prisons gets 404 for a person or prison outside them. Staff call the API with their browser session:",
        "reads only, in their own prisons, never sensitive notes or subject access requests; a key worker only",
        "key work and case notes (what key work needs).",
        "",
        *api_table(operations, routes),
        "",
        "## The case record on the prisoner's profile",
        "",
        "The sentence, risk and MAPPA, tier, early allocation, parole, tasks, handover and case history sections of",
        f"the profile need `{CASE_RECORD['perm']}`: {record_readers}.",
        "A key worker sees who the person is, who works with them, key work and alerts: what key work needs.",
        "",
        "## Sensitive notes",
        "",
        f"A key work session marked sensitive (`{SENSITIVE_NOTES['perm']}`) is read in full by: {sensitive}; the",
        "prisoner's POM (primary or co-working) while allocated; and the key worker who held the session. Everyone",
        "else who can open the case sees that the session happened, not what was written. Through the API a",
        f"client needs `{SENSITIVE_NOTES['api_scope']}` as well as `read_case_notes` (case notes, key work, and",
        "the notes in a subject access request); staff sessions never get sensitive notes.",
        "",
    ]
    return "\n".join(parts)


def url_routes() -> dict[str, str]:
    """Each URL name's route in the project's URLconf ("admin:*" for the Django admin's)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, str] = {"admin:*": "admin/…", "admin:login": "admin/login/", "admin:logout": "admin/logout/"}
    found |= {  # single sign-on's, listed even when it is off (mozilla_django_oidc.urls under oidc/)
        "oidc_authentication_init": "oidc/authenticate/",
        "oidc_authentication_callback": "oidc/callback/",
        "oidc_logout": "oidc/logout/",
    }

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", prefix + str(entry.pattern))
                found.setdefault(entry.name, route)

    walk(get_resolver().url_patterns)
    return found


def matrix_markdown() -> str:
    from omic.permission_matrix.api import API_OPERATIONS
    from omic.permission_matrix.pages import PAGES

    return render(PAGES, API_OPERATIONS, url_routes())
