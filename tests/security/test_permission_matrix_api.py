"""The permission matrix's API operations (omic/permission_matrix/api.py) against the running API, and sensitive notes.

Every operationId of the OpenAPI schema has a row and every row an operation. The walk calls each operation as a
signed-out caller (401), as each staff role with a browser session (allowed where the row lets staff in, else
403), as a machine client holding the operation's scopes (allowed), one holding every other scope (403), and one
holding every scope but restricted to another prison (404, or nothing of ours in a list). Then sensitive key work
notes: only the roles the matrix names read them, on any page and through the API.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from api import scopes
from api.client_services import api_client_register, api_token_issue
from omic.permission_matrix import ANONYMOUS, ROLES, SENSITIVE_NOTES, ApiOperation
from omic.permission_matrix.api import API_BY_ID, API_OPERATIONS
from tests.security.conftest import ORDINARY_TEXT, SENSITIVE_TEXT
from tests.security.test_permission_matrix import url_of
from tests.url_walk import url_entries

pytestmark = pytest.mark.django_db

REFUSED = {401, 403}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tokens and rate-limit counters live in the cache: start without another test's."""
    cache.clear()
    yield
    cache.clear()


def schema_operations() -> dict[str, tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        op["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }


def test_every_api_operation_has_a_matrix_row_and_every_row_an_operation():
    operations = schema_operations()
    missing = sorted(set(operations) - set(API_BY_ID))
    assert not missing, f"API operations with no row in omic/permission_matrix/api.py: {missing}"
    stale = sorted(set(API_BY_ID) - set(operations))
    assert not stale, f"permission matrix rows with no API operation: {stale}"
    names = {e.name for e in url_entries()}
    for op in API_OPERATIONS:
        assert op.name in names, f"{op.operation_id}: no URL named {op.name}"
        assert operations[op.operation_id][0] == op.method, f"{op.operation_id}: the schema says another method"


def test_each_api_view_declares_the_scopes_its_row_names():
    from django.urls import resolve

    entries = {e.name: e for e in url_entries()}
    from api.permissions import scopes_required_by

    wrong = []
    for op in API_OPERATIONS:
        view = entries[op.name].callback.view_class
        declared = scopes_required_by(view, op.method)
        if op.operation_id == "oauth_token":
            continue  # the token endpoint authenticates the client itself
        if declared != op.scopes:
            wrong.append(f"{op.operation_id}: the view declares {declared}, the matrix says {op.scopes}")
    assert resolve("/api/v1/events").url_name == "api_events"
    assert not wrong, "\n".join(wrong)


class Callers:
    """Machine clients by scope set (made once each), with bearer tokens; and the secret of one for the token
    endpoint."""

    def __init__(self, estate):
        self.estate = estate
        self._clients = {}
        self.token_client, self.token_secret = api_client_register(
            name="Token client", scopes=[scopes.READ_ALLOCATIONS], actor_label="tests"
        )

    def bearer(self, held, prisons=()) -> APIClient:
        key = (frozenset(held), tuple(p.code for p in prisons))
        if key not in self._clients:
            client, _ = api_client_register(
                name=f"Walk client {len(self._clients)}",
                scopes=sorted(held),
                prisons=list(prisons),
                actor_label="tests",
            )
            caller = APIClient()
            caller.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(client=client).access_token}")
            self._clients[key] = caller
        return self._clients[key]


def _needed(op: ApiOperation) -> set[str]:
    return set(op.scopes) or set(op.any_of_scopes[:1])


def _call(caller, op: ApiOperation, estate, callers: Callers, n: int):
    entry = next(e for e in url_entries() if e.name == op.name)
    url = url_of(entry, estate, estate.case)
    number = estate.case.prison_number
    if op.operation_id == "oauth_token":
        body = {
            "grant_type": "client_credentials",
            "client_id": callers.token_client.client_id,
            "client_secret": callers.token_secret,
        }
        return caller.post(url, body, format="json")
    if op.method == "GET":
        query = {"case_note_list": {"since": "2000-01-01T00:00:00Z"}, "subject_access_request": {"prn": number}}
        return caller.get(url, query.get(op.operation_id, {}))
    body = {}
    if op.operation_id == "event_post":
        body = {
            "eventId": f"matrix-walk-{n}",
            "eventType": "prisoner.released",
            "occurredAt": "2026-11-20T10:00:00Z",
            "personReference": {"identifiers": [{"type": "NOMS", "value": number}]},
            "additionalInformation": {},
        }
    return getattr(caller, op.method.lower())(url, body, format="json")


def _allowed_problem(op: ApiOperation, response) -> str | None:
    status = response.status_code
    if status in REFUSED or status >= 500 or (status == 404 and not op.own_client):
        return f"gave {status}, but the matrix allows it"
    return None


# Operations that name no person or prison: they list the caller's own prisons, so another prison's caller gets a
# list with nothing of ours in it rather than 404.
UNTARGETED_LISTS = {"case_note_list"}


def _other_prison_problem(op: ApiOperation, response, estate, who_is_client: bool) -> str | None:
    """A user or client of another prison always gets 404 for a person or prison of ours, whatever their role or
    scopes (never 403, which would tell them it exists); a write is 404 too, never 204 or 202."""
    status = response.status_code
    if status == 404:
        return None
    if op.operation_id in UNTARGETED_LISTS and status == 200:
        leaked = estate.case.prison_number in response.content.decode()
        return "lists our case" if leaked else None
    if op.operation_id == "subject_access_request" and status == 204 and who_is_client:
        return None  # "nothing held": the same answer it gives for a prison number no one has
    return f"gave {status}, not 404"


def test_walk_every_api_operation_for_every_caller(estate, capsys):
    callers = Callers(estate)
    everything = set(scopes.SCOPES)
    staff = {role: APIClient() for role in ROLES}
    for role, client in staff.items():
        client.force_login(estate.users[role])
    outsiders = {role: APIClient() for role in estate.outsiders}  # staff sessions of the other prison
    for role, client in outsiders.items():
        client.force_login(estate.outsiders[role])
    failures, checks, n = [], 0, 0
    for op in API_OPERATIONS:
        cases = [(ANONYMOUS, APIClient(), op.operation_id == "oauth_token")]
        cases += [(role, client, op.allows(role) or op.operation_id == "oauth_token") for role, client in staff.items()]
        cases.append(
            ("client with " + "+".join(sorted(_needed(op))), callers.bearer(_needed(op) or {"read_allocations"}), True)
        )
        if _needed(op):
            lacking = everything - set(op.scopes) - set(op.any_of_scopes)
            cases.append(("client without " + "+".join(sorted(_needed(op))), callers.bearer(lacking), False))
        for who, caller, allowed in cases:
            n += 1
            response = _call(caller, op, estate, callers, n)
            checks += 1
            if allowed:
                problem = _allowed_problem(op, response)
            else:
                expected = {401} if who == ANONYMOUS else ({403, 404} if op.own_client else {403})
                problem = None if response.status_code in expected else f"gave {response.status_code}, not {expected}"
            if problem:
                failures.append(f"{op.method} {op.operation_id} as {who}: {problem}")
        if op.prison:  # another prison's callers: 404 (a list: nothing of ours), a write always 404
            others = [(f"a client of {estate.other_prison.code}", callers.bearer(everything, [estate.other_prison]))]
            others += [(f"a {role} of {estate.other_prison.code}", client) for role, client in outsiders.items()]
            for who, caller in others:
                n += 1
                checks += 1
                response = _call(caller, op, estate, callers, n)
                problem = _other_prison_problem(op, response, estate, who.startswith("a client"))
                if problem:
                    failures.append(f"{op.method} {op.operation_id} by {who}: {problem}")
    with capsys.disabled():
        print(f"\nAPI walk: {checks} checks ({len(API_OPERATIONS)} operations x {len(ROLES) + 3}+ callers)")
    assert not failures, f"{len(failures)} of {checks} answers disagree with the matrix:\n" + "\n".join(failures)
    assert checks >= len(API_OPERATIONS) * (len(ROLES) + 2)


def _readers(estate) -> dict:
    """Who reads the sensitive note on ``estate.case`` (SENSITIVE_NOTES), and who does not."""
    from cases.models import PomAllocation

    case_pom = PomAllocation.objects.get(prisoner=estate.case, ended_at__isnull=True).pom.user
    yes = {role: estate.users[role] for role in SENSITIVE_NOTES["roles"]}
    yes |= {"the case's POM": case_pom, "the key worker who wrote it": estate.sensitive_session.key_worker}
    no = {"another POM": estate.users["pom"], "another key worker": estate.users["key_worker"]}
    return {"yes": yes, "no": no}


def test_sensitive_notes_are_read_only_by_the_roles_the_matrix_names(estate):
    readers = _readers(estate)
    url = reverse("keywork_case", kwargs={"prison_code": estate.prison.code, "prison_number": estate.case.pk})
    for may_read, people in ((True, readers["yes"]), (False, readers["no"])):
        for who, user in people.items():
            client = Client()
            client.force_login(user)
            text = client.get(url).content.decode()
            assert ORDINARY_TEXT in text, f"{who} should see the ordinary note"
            assert (SENSITIVE_TEXT in text) is may_read, f"{who} {'should' if may_read else 'should not'} read it"
    for user in readers["no"].values():  # nor anywhere else about the case
        client = Client()
        client.force_login(user)
        for name in ("prisoner_detail", "keywork_case", "case_tasks", "allocation_timeline"):
            url = reverse(name, kwargs={"prison_code": estate.prison.code, "prison_number": estate.case.pk})
            assert SENSITIVE_TEXT not in client.get(url).content.decode(), f"{name} shows the note to {user}"


def test_sensitive_notes_through_the_api_need_the_sensitive_scope(estate):
    callers = Callers(estate)
    number = estate.case.prison_number
    plain = callers.bearer({scopes.READ_CASE_NOTES, scopes.READ_SUBJECT_ACCESS})
    full = callers.bearer({scopes.READ_CASE_NOTES, scopes.READ_SUBJECT_ACCESS, SENSITIVE_NOTES["api_scope"]})
    staff = APIClient()
    staff.force_login(estate.users["homd"])  # a sensitive reader on the pages, but not through the API
    since = {"since": "2000-01-01T00:00:00Z"}
    for caller, sees in ((plain, False), (full, True), (staff, False)):
        notes = caller.get(reverse("api_case_notes"), since)
        assert notes.status_code == 200
        assert ORDINARY_TEXT in notes.content.decode()
        assert (SENSITIVE_TEXT in notes.content.decode()) is sees
    for caller, sees in ((plain, False), (full, True)):
        sar = caller.get(reverse("api_subject_access_request"), {"prn": number})
        assert sar.status_code == 200
        assert (SENSITIVE_TEXT in sar.content.decode()) is sees
    assert staff.get(reverse("api_subject_access_request"), {"prn": number}).status_code == 403


def test_a_key_worker_sees_only_what_key_work_needs_on_the_profile(estate):
    """CASE_RECORD: the sentence, risk and MAPPA, tier, parole, tasks, handover and history are the OMU's."""
    from omic.permission_matrix import CASE_RECORD

    url = reverse("prisoner_detail", kwargs={"prison_code": estate.prison.code, "prison_number": estate.case.pk})
    record = ("Probation, risk and MAPPA", "Case history", 'id="sentence"', "Handover and responsibility")
    for role in ("pom", "homd", "homs", "case_admin", "key_worker"):
        assert estate.users[role].has_perm(CASE_RECORD["perm"], estate.prison) is (role in CASE_RECORD["roles"])
        client = Client()
        client.force_login(estate.users[role])
        text = client.get(url).content.decode()
        assert estate.case.full_name in text
        assert 'id="key-work"' in text
        for section in record:
            assert (section in text) is (role in CASE_RECORD["roles"]), f"{role}: {section}"
        assert (estate.case.case_information.crn in text) is (role in CASE_RECORD["roles"])


def test_a_key_worker_sees_no_case_record_fact_on_any_page_they_open(estate):
    """Tier, handover date, responsibility, sentence type and task kinds are the case record (CASE_RECORD): a key
    worker sees none of them on the profile's "What happens next", search results, the prisoner list (and its CSV)
    or any caseload they reach, while a HOMD sees every one of them on the same pages."""
    import datetime as dt

    from cases.models import CaseInformation
    from handover.models import CalculatedHandover

    handover_day = dt.date.today() + dt.timedelta(days=123)  # a date that appears nowhere else
    CalculatedHandover.objects.filter(prisoner__in=[estate.case, estate.own_case]).update(handover_date=handover_day)
    CaseInformation.objects.filter(prisoner__in=[estate.case, estate.own_case]).update(tier="D")
    code = estate.prison.code
    facts = {"the handover date": [f"{handover_day:%-d %b %Y}", f"{handover_day:%-d %B %Y}"]}
    for prisoner in (estate.case, estate.own_case):
        task = prisoner.case_tasks.get()
        facts.setdefault("a task's kind", []).append(task.get_kind_display())
        facts.setdefault("the sentence type", []).append(prisoner.sentence.get_sentence_type_display())
    facts["the tier"] = ['<td class="govuk-table__cell">D</td>', ",D\r\n"]
    facts["responsibility"] = ["POM responsible"]
    listing = reverse("prisoner_list", kwargs={"prison_code": code})
    pages = [listing, f"{listing}?format=csv"]
    for prisoner in (estate.case, estate.own_case):
        pages.append(reverse("prisoner_detail", kwargs={"prison_code": code, "prison_number": prisoner.pk}))
        pages.append(reverse("search", kwargs={"prison_code": code}) + f"?q={prisoner.last_name}")
    pages += [reverse(name, kwargs={"prison_code": code}) for name in ("caseload", "keywork_home")]

    def seen_by(user) -> tuple[str, list[str]]:
        client = Client()
        client.force_login(user)
        texts, opened = [], []
        for url in pages:
            response = client.get(url, follow=True)
            if response.status_code == 200:
                body = b"".join(response.streaming_content) if response.streaming else response.content
                texts.append(body.decode())
                opened.append(url)
        return "\n".join(texts), opened

    text, opened = seen_by(estate.users["key_worker"])
    assert len(opened) >= 6, f"the key worker opens the profile, search and the list: {opened}"
    for what, markers in facts.items():
        shown = [m for m in markers if m in text]
        assert not shown, f"a key worker sees {what} ({shown}) on {opened}"
    text, _ = seen_by(estate.users["homd"])
    for what, markers in facts.items():
        assert any(m in text for m in markers), f"a HOMD should see {what} ({markers})"
