"""The permission matrix (omic/permission_matrix/) against the running service (issue #9).

Every URL pattern has a row and every row a URL; each view checks the rules permission its row names, and the
rules give that permission to exactly the row's roles. Then the walk: every page, for every role, answers as the
matrix says (allowed, 403, or sign-in for the signed out); POSTs by a POM to a case that is not theirs are refused
where the row says "own case", and allowed on their own case; and a user of another prison gets 404 from every
prison page whatever their role. Each walk builds the estate once and collects every failure into one message.
The API operations are walked in test_permission_matrix_api.py.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from omic.permission_matrix import ANONYMOUS, PRISON_ROLES, ROLES, SENSITIVE_NOTES, PageAction, page_action
from omic.permission_matrix.api import API_URL_NAMES
from omic.permission_matrix.markdown import matrix_markdown
from omic.permission_matrix.pages import PAGES
from tests.security.conftest import SENSITIVE_TEXT
from tests.url_walk import UrlEntry, url_entries

pytestmark = pytest.mark.django_db

# URL parameters named ``pk`` point at different records on different pages.
PK_SAMPLE = {
    "integration_webhook": "subscription_pk",
    "integration_webhook_stop": "subscription_pk",
    "integration_delivery_retry": "delivery_pk",
    "api_webhook_subscription": "subscription_pk",
    "api_webhook_deliveries": "subscription_pk",
    "api_webhook_delivery_retry": "subscription_pk",
}


def page_entries() -> list[UrlEntry]:
    return [e for e in url_entries() if e.name not in API_URL_NAMES]


def url_of(entry: UrlEntry, estate, prisoner) -> str:
    samples = estate.samples_for(prisoner)
    if entry.name in PK_SAMPLE:
        samples["pk"] = samples[PK_SAMPLE[entry.name]]
    return entry.url(samples)


def _reversible(entry: UrlEntry) -> bool:
    return bool(entry.name) and not entry.name.endswith(":") and not (entry.params == () and "(" in entry.route)


def test_every_url_pattern_has_a_matrix_row_and_every_row_a_url():
    entries = url_entries()
    missing = sorted({e.route for e in entries if e.name not in API_URL_NAMES and page_action(e.name) is None})
    assert not missing, f"URL patterns with no row in omic/permission_matrix/: {missing}"
    names = {e.name for e in entries if e.name}
    stale = [row.name for row in PAGES if row.name != "admin:*" and not row.optional and row.name not in names]
    assert not stale, f"permission matrix rows with no URL pattern: {stale}"
    assert any(n.startswith("admin:") for n in names), "the Django admin row stands for the admin's URLs"


def test_a_new_unlisted_url_fails_the_coverage_check(settings):
    """The check above is honest: a URLconf with a page nobody listed is caught."""
    settings.ROOT_URLCONF = "tests.security.unlisted_urls"
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        with pytest.raises(AssertionError, match="no row"):
            test_every_url_pattern_has_a_matrix_row_and_every_row_a_url()
    finally:
        clear_url_caches()


def test_the_single_sign_on_urls_have_rows_when_switched_on(settings):
    """OIDC's URLs exist only when OIDC_RP_CLIENT_ID is set (omic/urls.py): the matrix lists them for that day."""
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "tests.security.oidc_urls"
    clear_url_caches()
    try:
        oidc = [e for e in url_entries() if e.route.startswith("oidc/")]
        assert oidc
        assert all(page_action(e.name) and page_action(e.name).optional for e in oidc), oidc
        test_every_url_pattern_has_a_matrix_row_and_every_row_a_url()
    finally:
        clear_url_caches()


def test_each_view_checks_the_permission_its_row_names():
    wrong = []
    for entry in page_entries():
        row = page_action(entry.name)
        if row is None or row.name == "admin:*":
            continue
        checked = getattr(entry.callback, "permission", None)
        if checked != row.perm:
            wrong.append(f"{entry.name}: the view checks {checked!r}, the matrix says {row.perm!r}")
        if row.prison != entry.is_prison_page:
            wrong.append(f"{entry.name}: prison-scoped is {entry.is_prison_page}, the matrix says {row.prison}")
    assert not wrong, "\n".join(wrong)


def test_the_rules_give_each_permission_to_exactly_the_rows_roles(estate):
    url_entries()  # some apps register their rules with their pages (allocation/staff_rules.py)
    wrong = []
    for row in PAGES:
        checks = [(row.perm, row.roles)]
        if row.write_perm and row.write_perm != row.own_case:
            checks.append((row.write_perm, row.posters))
        for perm, roles in checks:
            if perm is None:
                continue
            holders = {r for r in ROLES if estate.users[r].has_perm(perm, estate.prison)}
            if holders != set(roles) - {ANONYMOUS}:
                wrong.append(f"{row.name}: {perm} is held by {sorted(holders)}, the matrix says {sorted(roles)}")
        if row.perm and AnonymousUser().has_perm(row.perm, estate.prison):
            wrong.append(f"{row.name}: signed-out users hold {row.perm}")
    assert not wrong, "\n".join(wrong)


def test_the_own_case_permissions_let_a_pom_change_only_their_own_cases(estate):
    pom = estate.users["pom"]
    wrong = []
    for perm in sorted({row.own_case for row in PAGES if row.own_case and row.own_case.count(".") == 1}):
        if perm == "oversight.view_own_oversight":
            continue  # a role permission; the POM's own audits are chosen by the selectors (walked below)
        if not pom.has_perm(perm, estate.own_case):
            wrong.append(f"{perm}: the POM may not change their own case")
        if pom.has_perm(perm, estate.case):
            wrong.append(f"{perm}: the POM may change another POM's case")
    assert not wrong, "\n".join(wrong)


def test_every_case_write_a_pom_may_make_is_limited_to_their_own_cases():
    """Issue #9: a POM cannot change a case that is not theirs. Every page about one case that a POM may POST to
    names the object-level permission that limits it to the POM's own cases."""
    open_to_any_case = [
        e.name
        for e in page_entries()
        if "prison_number" in e.params
        and (row := page_action(e.name)) is not None
        and "POST" in row.methods
        and "pom" in row.posters
        and not row.own_case
    ]
    assert not open_to_any_case, f"a POM may change any case through {open_to_any_case}"


def _signed_in_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _sign_in_url(row: PageAction) -> str:
    return reverse("admin:login") if row.name == "admin:*" else reverse("login")


def _judge(row: PageAction, role: str, method: str, response, *, allowed: bool) -> str | None:
    """What is wrong with the answer, or None."""
    status = response.status_code
    location = response.get("Location", "")
    to_sign_in = status == 302 and location.startswith(_sign_in_url(row))
    if not allowed and row.prison and role not in PRISON_ROLES and role != ANONYMOUS:
        return None if status == 404 else f"gave {status}, not 404 (this role works in no prison)"
    if method == "GET" and row.methods == ("POST",):
        if status == 405 or (not allowed and (status == 403 or to_sign_in)):
            return None  # found and refused the method; or refused the user before the method
        return f"gave {status}, not 405 ({'allowed' if allowed else 'refused'} user, POST only)"
    if not allowed:
        if role == ANONYMOUS or row.name == "admin:*":
            return None if to_sign_in else f"gave {status} {location}, not a redirect to sign in"
        refusal = row.own_case_refusal if row.own_case and role == "pom" else 403
        return None if status == refusal else f"gave {status}, not {refusal}"
    if row.name in ("logout", "admin:login", "admin:logout"):
        to_sign_in = False  # signing out ends on the sign-in page
    if status in (401, 403, 404) or status >= 500 or to_sign_in:
        return f"gave {status} {location}, but the matrix allows it"
    return None


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_walk_every_page_for_every_role(estate, capsys):
    callers = {role: estate.users[role] for role in ROLES} | {ANONYMOUS: None}
    clients = {role: _signed_in_client(user) for role, user in callers.items()}
    failures, checks = [], 0
    entries = [e for e in page_entries() if _reversible(e)]
    for entry in entries:
        row = page_action(entry.name)
        url = url_of(entry, estate, estate.case)
        for role, client in clients.items():
            # The admin refuses every method at one gate (AdminSite.admin_view): GET shows it for each of its URLs.
            for method in ("GET", "POST") if "POST" in row.methods and row.name != "admin:*" else ("GET",):
                allowed = row.allows(role, method)
                if row.own_case and role == "pom" and (method == "POST" or row.own_case_get):
                    allowed = False  # estate.case is another POM's case
                response = getattr(client, method.lower())(url)
                checks += 1
                problem = _judge(row, role, method, response, allowed=allowed)
                if problem:
                    failures.append(f"{method} {url} as {role}: {problem}")
                elif role not in SENSITIVE_NOTES["roles"] and SENSITIVE_TEXT.encode() in _body(response):
                    failures.append(f"{method} {url} as {role}: shows the sensitive note (not theirs to read)")
                if entry.name in ("logout", "admin:logout") and callers[role] is not None:
                    client.force_login(callers[role])
    with capsys.disabled():
        print(f"\npermission matrix walk: {checks} page checks ({len(entries)} URL patterns x {len(clients)} callers)")
    assert not failures, f"{len(failures)} of {checks} answers disagree with the matrix:\n" + "\n".join(failures)
    assert checks >= len(entries) * len(clients)


def test_a_pom_may_post_where_the_row_says_own_case_on_their_own_case(estate):
    client = _signed_in_client(estate.users["pom"])
    failures, checks = [], 0
    for entry in page_entries():
        row = page_action(entry.name)
        if row is None or not row.own_case or not entry.is_prison_page:
            continue
        if "prison_number" not in entry.params and "action_id" not in entry.params:
            continue
        url = url_of(entry, estate, estate.own_case)
        response = client.post(url)
        checks += 1
        problem = _judge(row, "pom", "POST", response, allowed=True)
        if problem:
            failures.append(f"POST {url} as the case's POM: {problem}")
    assert checks >= 5
    assert not failures, "\n".join(failures)


def test_walk_every_prison_page_as_a_user_of_another_prison(estate, capsys):
    failures, checks = [], 0
    entries = [e for e in page_entries() if e.is_prison_page]
    for role in PRISON_ROLES:
        client = _signed_in_client(estate.outsiders[role])
        for entry in entries:
            url = url_of(entry, estate, estate.case)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                checks += 1
                if status != 404:
                    failures.append(f"{method.upper()} {url} as {role} of {estate.other_prison.code}: {status}")
    with capsys.disabled():
        print(f"\nanother prison's users: {checks} checks ({len(entries)} prison URL patterns x 5 roles x 2 methods)")
    assert not failures, "\n".join(failures)
    assert checks == len(entries) * len(PRISON_ROLES) * 2


def test_the_django_admin_opens_for_staff_accounts_only(estate, admin_user):
    assert _signed_in_client(estate.users["service_admin"]).get(reverse("admin:index")).status_code == 302
    assert _signed_in_client(admin_user).get(reverse("admin:index")).status_code == 200


def test_docs_permissions_md_is_generated_from_the_matrix(settings):
    from pathlib import Path

    path = Path(settings.BASE_DIR) / "docs" / "permissions.md"
    assert path.read_text() == matrix_markdown(), (
        "docs/permissions.md is out of date: manage.py permission_matrix --markdown"
    )
    call_command("permission_matrix", "--check")


def test_the_command_prints_the_matrix_and_fails_its_check_on_a_stale_file(tmp_path):
    from io import StringIO

    from django.core.management.base import CommandError

    out = StringIO()
    call_command("permission_matrix", stdout=out)
    assert f"{len(PAGES)} pages" in out.getvalue()
    out = StringIO()
    call_command("permission_matrix", "--markdown", "--output", "-", stdout=out)
    assert out.getvalue() == matrix_markdown()
    stale = tmp_path / "permissions.md"
    stale.write_text(matrix_markdown().replace("✓", "x", 1))
    with pytest.raises(CommandError, match="out of date"):
        call_command("permission_matrix", "--check", "--output", str(stale))
    call_command("permission_matrix", "--markdown", "--output", str(stale), stdout=StringIO())
    call_command("permission_matrix", "--check", "--output", str(stale), stdout=StringIO())
