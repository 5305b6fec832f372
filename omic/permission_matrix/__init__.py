"""The permission matrix (issue #9): every action of the service and who may do it, declared in one place.

An *action* is a URL pattern (a page, a form, a service-admin page, sign-in, health) or an API operation (its
OpenAPI operationId). For each one the matrix says which roles may do it, which ``rules`` permission the view
checks, whether it is prison-scoped (another prison's user gets 404), whether a POM may change only the cases
allocated to them ("own case", an object-level rules permission), and the HTTP methods it answers.

Plain data: no view imports. ``tests/security/test_permission_matrix.py`` walks every URL pattern and API operation
for every role against it, and fails on an action with no row (or a row with no action); ``docs/permissions.md``
is generated from it (``manage.py permission_matrix --markdown``) and a test keeps the two equal.
"""

from dataclasses import dataclass, field

from cases.models import Role

POM, HOMD, HOMS = Role.POM.value, Role.HOMD.value, Role.HOMS.value
CASE_ADMIN, KEY_WORKER = Role.CASE_ADMIN.value, Role.KEY_WORKER.value
NATIONAL_VIEWER, SERVICE_ADMIN = Role.NATIONAL_VIEWER.value, Role.SERVICE_ADMIN.value
ANONYMOUS = "anonymous"

# Every role, in the order the documentation lists them; then the role groups the rules use (cases/rules.py).
ROLES = (POM, HOMD, HOMS, CASE_ADMIN, KEY_WORKER, NATIONAL_VIEWER, SERVICE_ADMIN)
PRISON_ROLES = (POM, HOMD, HOMS, CASE_ADMIN, KEY_WORKER)
NOBODY: frozenset[str] = frozenset()
MANAGERS = frozenset({HOMD, HOMS})  # the heads of OMU
OMU_STAFF = MANAGERS | {POM, CASE_ADMIN}
PRISON_STAFF = OMU_STAFF | {KEY_WORKER}
SIGNED_IN = frozenset(ROLES)
EVERYONE = SIGNED_IN | {ANONYMOUS}

GET, POST = ("GET",), ("POST",)
GET_POST = ("GET", "POST")


@dataclass(frozen=True)
class PageAction:
    """A URL pattern: who may read it (GET) and who may write (POST)."""

    name: str  # the URL name ("admin:*" stands for every page of the Django admin)
    perm: str | None  # the rules permission the view's gate checks (cases.scoping prison_page / role_page)
    roles: frozenset[str]  # who may GET it (or POST it, when it answers POST only)
    methods: tuple[str, ...] = GET
    prison: bool = True  # under /prisons/<code>/: a user who does not work in the prison gets 404
    write_roles: frozenset[str] | None = None  # who may POST, when not the same as ``roles``
    write_perm: str | None = None  # the rules permission checked on POST, when not ``perm``
    own_case: str | None = None  # a POM may POST only for a case allocated to them: this object-level permission
    own_case_get: bool = False  # ... and may not even open the form for another POM's case
    own_case_refusal: int = 403  # the answer for another POM's case (404 where the selectors only find the POM's)
    optional: bool = False  # its URL exists only when a setting switches it on (single sign-on)
    note: str = ""

    @property
    def kind(self) -> str:
        return "page"

    @property
    def posters(self) -> frozenset[str]:
        return self.roles if self.write_roles is None else self.write_roles

    def allows(self, role: str, method: str = "GET") -> bool:
        return role in (self.posters if method == "POST" else self.roles)


@dataclass(frozen=True)
class ApiOperation:
    """An API operation (OpenAPI operationId): the scopes a machine client needs, and whether staff may call it
    with their browser session (api.scopes.STAFF_SESSION_SCOPES: prison roles, reads only; key workers fewer)."""

    operation_id: str
    name: str  # its URL name
    method: str
    scopes: tuple[str, ...]  # every one needed; () = any authenticated caller
    roles: frozenset[str] = NOBODY  # staff roles that may call it with a browser session
    prison: bool = True  # answers 404 for a person or prison outside the caller's prisons
    own_client: bool = False  # reaches only the calling client's own records (events, webhooks): 404 otherwise
    any_of_scopes: tuple[str, ...] = field(default=())  # checked in the view: the caller needs one of these
    note: str = ""

    @property
    def kind(self) -> str:
        return "api"

    @property
    def methods(self) -> tuple[str, ...]:
        return (self.method,)

    def allows(self, role: str, method: str | None = None) -> bool:
        return role in self.roles


# The case record on the prisoner's profile (sentence, risk and MAPPA, tier, early allocation, parole, tasks, the
# handover panel and the case history): OMU staff only. A key worker opens the profile for who the person is, who
# works with them, key work and alerts: what key work needs.
CASE_RECORD = {"perm": "cases.view_case_record", "roles": OMU_STAFF}

# Which notes are sensitive, and who may read them (keywork/recording_rules.py, api/scopes.py).
SENSITIVE_NOTES = {
    "perm": "keywork.read_session_note",
    "roles": MANAGERS | {CASE_ADMIN},
    "own_case": POM,  # the prisoner's POM (primary or co-working) while allocated
    "author": KEY_WORKER,  # the key worker who held the session; other key workers see only that it happened
    "api_scope": "read_sensitive_notes",  # an API client needs this scope as well as read_case_notes
}


def __getattr__(name: str):
    # The rows live in pages.py and api.py; loaded lazily so that importing the package stays cheap.
    if name in ("PAGES", "API_OPERATIONS", "ACTIONS"):
        from omic.permission_matrix.api import API_OPERATIONS
        from omic.permission_matrix.pages import PAGES

        return {"PAGES": PAGES, "API_OPERATIONS": API_OPERATIONS, "ACTIONS": PAGES + API_OPERATIONS}[name]
    raise AttributeError(name)


def page_action(name: str) -> PageAction | None:
    from omic.permission_matrix.pages import PAGES_BY_NAME

    if name and name.startswith("admin:") and name not in PAGES_BY_NAME:
        return PAGES_BY_NAME["admin:*"]
    return PAGES_BY_NAME.get(name)
