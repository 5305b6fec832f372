"""Contract tests of the read API: data, scopes (403), prison restriction (404), identifiers (400 naming the field)."""

import datetime as dt

import pytest
from django.utils import timezone

from api import scopes
from cases.models import AuditEvent
from handover.models import CalculatedHandover
from tests.factories import (
    CaseInformationFactory,
    CommunityOffenderManagerFactory,
    LocalDeliveryUnitFactory,
    PomProfileFactory,
    PrisonerFactory,
    SentenceFactory,
)
from tests.factories.allocation import PomAllocationFactory
from tests.factories.casework import EarlyAllocationFactory
from tests.factories.handover import ResponsibilityOverrideFactory, handover_case
from tests.factories.keywork_recording import (
    KeyworkAllocationFactory,
    KeyworkSessionFactory,
    PomContactFactory,
    at_noon,
)
from tests.factories.tiering import TierRecordFactory
from tests.handover.pages_setup import COMMUNITY, CUSTODY_WITH_COM, make_case

ALL_READ = [scopes.READ_ALLOCATIONS, scopes.READ_HANDOVERS, scopes.READ_CASE_NOTES]


def _pom(prison, first="Jane", last="Smith", email="jane.smith@justice.gov.uk"):
    pom = PomProfileFactory(prison=prison)
    pom.user.first_name, pom.user.last_name, pom.user.email = first, last, email
    pom.user.save()
    return pom


def _problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field]
    return body


# Single-case operations: the scope each needs, and the same 400/403/404 rules for all.
SINGLE = [
    ("/api/v1/allocation/{}", scopes.READ_ALLOCATIONS),
    ("/api/v1/handovers/{}", scopes.READ_HANDOVERS),
    ("/api/v1/offenders/{}", scopes.READ_ALLOCATIONS),
    ("/api/v1/key-work/{}", scopes.READ_CASE_NOTES),
]


@pytest.mark.parametrize(("url", "scope"), SINGLE)
def test_single_case_needs_its_scope(bearer, prison, url, scope):
    prisoner = PrisonerFactory(prison=prison)
    others = [s for s in scopes.SCOPES if s != scope]
    _problem(bearer(scopes=others).get(url.format(prisoner.prison_number)), 403)
    assert bearer(scopes=[scope]).get(url.format(prisoner.prison_number)).status_code == 200


@pytest.mark.parametrize(("url", "scope"), SINGLE)
def test_single_case_outside_the_clients_prisons_is_404(bearer, prison, other_prison, url, scope):
    prisoner = PrisonerFactory(prison=other_prison)
    body = _problem(bearer(scopes=[scope], prisons=[prison]).get(url.format(prisoner.prison_number)), 404)
    assert "prisons this client may see" in body["detail"]
    assert bearer(scopes=[scope], prisons=[other_prison]).get(url.format(prisoner.prison_number)).status_code == 200


@pytest.mark.parametrize(("url", "scope"), SINGLE)
@pytest.mark.parametrize("number", ["A1234B", "a1234bc", "12345AB", "A1234BC1", "Ａ1234BC"])
def test_single_case_invalid_prison_number_is_400_naming_the_field(bearer, url, scope, number):
    body = _problem(bearer(scopes=[scope]).get(url.format(number)), 400, field="prisonNumber")
    assert "A1234BC" in body["detail"]


def test_allocation_has_primary_and_co_working_poms(bearer, prison):
    prisoner = PrisonerFactory(prison=prison)
    primary, co = _pom(prison), _pom(prison, "Ali", "Khan", "ali.khan@justice.gov.uk")
    PomAllocationFactory(prisoner=prisoner, pom=primary)
    PomAllocationFactory(prisoner=prisoner, pom=co, role="co_working")
    body = bearer(scopes=[scopes.READ_ALLOCATIONS]).get(f"/api/v1/allocation/{prisoner.prison_number}").json()
    assert body["primaryPom"]["name"] == "Jane Smith"
    assert body["primaryPom"]["email"] == "jane.smith@justice.gov.uk"
    assert body["primaryPom"]["staffId"] == primary.pk
    assert body["coworkingPom"]["name"] == "Ali Khan"


def test_primary_pom_gives_name_email_and_prison_or_404(bearer, prison):
    prisoner = PrisonerFactory(prison=prison)
    caller = bearer(scopes=[scopes.READ_ALLOCATIONS])
    url = f"/api/v1/allocation/{prisoner.prison_number}/primary-pom"
    assert "no primary POM" in _problem(caller.get(url), 404)["detail"]
    PomAllocationFactory(prisoner=prisoner, pom=_pom(prison))
    body = caller.get(url).json()
    assert body == {
        "prisonNumber": prisoner.prison_number,
        "name": "Jane Smith",
        "email": "jane.smith@justice.gov.uk",
        "prison": {"code": "LEI", "name": "HMP Leeds"},
    }


def test_handover_stored_pom_responsible_names_the_pom(bearer, prison):
    pom = _pom(prison)
    prisoner = make_case(prison=prison, pom=pom, today=timezone.localdate(), days=40)
    body = bearer(scopes=[scopes.READ_HANDOVERS]).get(f"/api/v1/handovers/{prisoner.prison_number}").json()
    assert body["source"] == "stored"
    assert body["responsibility"] == "POM"
    assert body["responsiblePerson"] == {"kind": "POM", "name": "Jane Smith", "email": "jane.smith@justice.gov.uk"}
    assert body["handoverDate"] == str(timezone.localdate() + dt.timedelta(days=40))
    assert body["policy"] == "current"
    assert body["reason"] == "determinate"


def test_handover_com_responsible_names_the_com_or_the_ldu_mailbox(bearer, prison):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    with_com = make_case(prison=prison, responsibility=COMMUNITY, com=True)
    body = caller.get(f"/api/v1/handovers/{with_com.prison_number}").json()
    com = with_com.case_information.com
    assert body["responsibility"] == "COM"
    assert body["responsiblePerson"] == {"kind": "COM", "name": com.name, "email": com.email or None}
    no_com = make_case(prison=prison, responsibility=COMMUNITY)
    ldu = LocalDeliveryUnitFactory(email="ldu@probation.gov.uk")
    no_com.case_information.local_delivery_unit = ldu
    no_com.case_information.save()
    body = caller.get(f"/api/v1/handovers/{no_com.prison_number}").json()
    assert body["responsiblePerson"] == {"kind": "LDU", "name": ldu.name, "email": "ldu@probation.gov.uk"}


def test_handover_com_supporting_and_override(bearer, prison):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    supporting = make_case(prison=prison, responsibility=CUSTODY_WITH_COM, com=True)
    body = caller.get(f"/api/v1/handovers/{supporting.prison_number}").json()
    assert (body["responsibility"], body["comSupporting"]) == ("POM", True)
    overridden = make_case(prison=prison, com=True)
    ResponsibilityOverrideFactory(prisoner=overridden)
    body = caller.get(f"/api/v1/handovers/{overridden.prison_number}").json()
    assert (body["responsibility"], body["responsibilityOverridden"]) == ("COM", True)
    assert body["responsiblePerson"]["kind"] == "COM"


def test_handover_is_calculated_when_none_is_stored(bearer, prison):
    from dateutil.relativedelta import relativedelta

    today = timezone.localdate()
    prisoner = handover_case(prison=prison, release_in=relativedelta(years=2), today=today)
    assert not CalculatedHandover.objects.filter(prisoner=prisoner).exists()
    body = bearer(scopes=[scopes.READ_HANDOVERS]).get(f"/api/v1/handovers/{prisoner.prison_number}").json()
    assert body["source"] == "calculated"
    assert body["insideOmicPolicy"] is True
    assert body["calculatedOn"] == str(today)
    crd = today + relativedelta(years=2)
    assert body["handoverDate"] == str(crd - relativedelta(months=8, days=14))  # D-02, current standard rule
    assert body["earliestReleaseDate"] == str(crd)
    assert not CalculatedHandover.objects.filter(prisoner=prisoner).exists()  # a read writes nothing


def test_handover_outside_omic_says_so(bearer, prison):
    prisoner = PrisonerFactory(prison=prison, legal_status="remand")
    body = bearer(scopes=[scopes.READ_HANDOVERS]).get(f"/api/v1/handovers/{prisoner.prison_number}").json()
    assert body["insideOmicPolicy"] is False
    assert body["responsibility"] is None
    assert body["handoverDate"] is None


def test_handover_is_one_query_after_authentication(bearer, prison, django_assert_num_queries):
    prisoner = make_case(prison=prison, pom=_pom(prison), com=True)
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    caller.get(f"/api/v1/handovers/{prisoner.prison_number}")  # the token is cached now
    with django_assert_num_queries(1):
        assert caller.get(f"/api/v1/handovers/{prisoner.prison_number}").status_code == 200


def test_offender_gives_early_allocation_status(bearer, prison):
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    caller = bearer(scopes=[scopes.READ_ALLOCATIONS])
    body = caller.get(f"/api/v1/offenders/{prisoner.prison_number}").json()
    assert body["earlyAllocation"]["assessedAt"] is None
    not_assessed = body["earlyAllocation"]["status"]
    EarlyAllocationFactory(prisoner=prisoner)
    body = caller.get(f"/api/v1/offenders/{prisoner.prison_number}").json()
    assert body["earlyAllocation"]["outcome"] == "eligible"
    assert body["earlyAllocation"]["status"] != not_assessed
    assert body["earlyAllocation"]["statusLabel"]


def test_key_work_gives_key_worker_and_latest_session(bearer, prison):
    prisoner = PrisonerFactory(prison=prison)
    caller = bearer(scopes=[scopes.READ_CASE_NOTES])
    assert caller.get(f"/api/v1/key-work/{prisoner.prison_number}").json() == {
        "prisonNumber": prisoner.prison_number,
        "keyWorker": None,
        "latestSession": None,
    }
    allocation = KeyworkAllocationFactory(prisoner=prisoner)
    KeyworkSessionFactory(prisoner=prisoner, session_date=dt.date(2026, 1, 5))
    latest = KeyworkSessionFactory(prisoner=prisoner, session_date=dt.date(2026, 2, 5), duration_minutes=60)
    KeyworkSessionFactory(prisoner=prisoner, session_date=dt.date(2026, 3, 5), session_type="entry")
    body = caller.get(f"/api/v1/key-work/{prisoner.prison_number}").json()
    assert body["keyWorker"]["staffId"] == allocation.key_worker.user_id
    assert body["latestSession"] == {
        "sessionDate": "2026-02-05",
        "durationMinutes": 60,
        "keyWorkerName": latest.key_worker.get_full_name(),
    }


def test_tier_by_crn(bearer, prison, other_prison):
    prisoner = PrisonerFactory(prison=prison)
    CaseInformationFactory(prisoner=prisoner, crn="X123456", tier="B")
    TierRecordFactory(prisoner=prisoner, tier="B", score="B2")
    body = bearer(scopes=[scopes.READ_ALLOCATIONS]).get("/api/v1/tiers/X123456").json()
    assert (body["tier"], body["score"], body["prisonNumber"]) == ("B", "B2", prisoner.prison_number)
    _problem(bearer(scopes=[scopes.READ_ALLOCATIONS], prisons=[other_prison]).get("/api/v1/tiers/X123456"), 404)
    _problem(bearer(scopes=[scopes.READ_HANDOVERS]).get("/api/v1/tiers/X123456"), 403)
    _problem(bearer(scopes=[scopes.READ_ALLOCATIONS]).get("/api/v1/tiers/X12345"), 400, field="crn")


# Lists


def test_caseload_lists_allocations_filtered_by_pom_and_paginated(bearer, prison, django_assert_num_queries):
    jane, ali = _pom(prison), _pom(prison, "Ali", "Khan", "ali@x.gov.uk")
    for i in range(3):
        make_case(prison=prison, pom=jane, prisoner_kwargs={"last_name": f"Adams{i}"})
    make_case(prison=prison, pom=ali, prisoner_kwargs={"last_name": "Zed"})
    caller = bearer(scopes=[scopes.READ_ALLOCATIONS])
    body = caller.get("/api/v1/prisons/LEI/caseload").json()
    assert body["count"] == 4
    body = caller.get(f"/api/v1/prisons/LEI/caseload?pom={jane.pk}&pageSize=2").json()
    assert body["count"] == 3
    assert [r["lastName"] for r in body["results"]] == ["Adams0", "Adams1"]
    assert body["results"][0]["pom"] == {"staffId": jane.pk, "name": "Jane Smith"}
    assert body["results"][0]["responsibility"] == "POM"
    assert "page=2" in body["next"]
    body = caller.get(body["next"]).json()
    assert [r["lastName"] for r in body["results"]] == ["Adams2"]
    assert body["next"] is None


def test_caseload_query_count_does_not_grow_with_rows(bearer, prison, django_assert_num_queries):
    pom = _pom(prison)
    caller = bearer(scopes=[scopes.READ_ALLOCATIONS])
    caller.get("/api/v1/prisons/LEI/caseload")
    for n in (1, 6):
        while caller.get("/api/v1/prisons/LEI/caseload").json()["count"] < n:
            make_case(prison=prison, pom=pom)
        with django_assert_num_queries(3):  # the prison, the count, the page
            assert len(caller.get("/api/v1/prisons/LEI/caseload").json()["results"]) == n


@pytest.mark.parametrize(
    ("query", "field"), [("pom=abc", "pom"), ("pom=0", "pom"), ("pom=999999", "pom"), ("page=0", "page"),
                         ("pageSize=501", "pageSize")]
)  # fmt: skip
def test_caseload_bad_filters_are_400_naming_the_field(bearer, prison, query, field):
    _problem(bearer(scopes=[scopes.READ_ALLOCATIONS]).get(f"/api/v1/prisons/LEI/caseload?{query}"), 400, field=field)


def test_prison_lists_check_code_scope_and_prison(bearer, prison, other_prison):
    for url, scope in (("/api/v1/prisons/{}/caseload", scopes.READ_ALLOCATIONS),
                       ("/api/v1/prisons/{}/handovers", scopes.READ_HANDOVERS)):  # fmt: skip
        _problem(bearer(scopes=[scope]).get(url.format("lei")), 400, field="code")
        _problem(bearer(scopes=[scope], prisons=[prison]).get(url.format("MDI")), 404)
        _problem(bearer(scopes=[scope]).get(url.format("ZZZ")), 404)
        _problem(bearer(scopes=[s for s in scopes.SCOPES if s != scope]).get(url.format("LEI")), 403)


def test_handover_list_by_date_range(bearer, prison, django_assert_num_queries):
    today = timezone.localdate()
    soon = make_case(prison=prison, today=today, days=10)
    make_case(prison=prison, today=today, days=200)
    make_case(prison=prison, today=today, days=None)
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    body = caller.get("/api/v1/prisons/LEI/handovers").json()  # today to three months ahead
    assert [r["prisonNumber"] for r in body["results"]] == [soon.prison_number]
    later = today + dt.timedelta(days=365)
    with django_assert_num_queries(3):  # the prison, the count, the page
        body = caller.get(f"/api/v1/prisons/LEI/handovers?from={today}&to={later}").json()
    assert body["count"] == 2
    _problem(caller.get(f"/api/v1/prisons/LEI/handovers?from={later}&to={today}"), 400, field="to")
    _problem(caller.get("/api/v1/prisons/LEI/handovers?from=2026-02-30"), 400, field="from")
    _problem(caller.get("/api/v1/prisons/LEI/handovers?from=2020-01-01&to=2026-01-01"), 400, field="to")


def test_case_notes_since_leave_out_sensitive_notes_without_the_scope(bearer, prison, other_prison):
    prisoner = PrisonerFactory(prison=prison)
    elsewhere = PrisonerFactory(prison=other_prison)
    open_note = KeyworkSessionFactory(prisoner=prisoner, notes="Open note")
    KeyworkSessionFactory(prisoner=prisoner, notes="Sensitive note", is_sensitive=True)
    PomContactFactory(prisoner=prisoner)
    KeyworkSessionFactory(prisoner=elsewhere, notes="Elsewhere")
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    plain = bearer(scopes=[scopes.READ_CASE_NOTES], prisons=[prison])
    body = plain.get("/api/v1/case-notes", {"since": since}).json()
    assert body["count"] == 2
    assert {r["type"] for r in body["results"]} == {"key_work_session", "pom_contact"}
    assert f"kw-{open_note.pk}" in {r["id"] for r in body["results"]}
    full = bearer(scopes=[scopes.READ_CASE_NOTES, scopes.READ_SENSITIVE_NOTES])
    body = full.get("/api/v1/case-notes", {"since": since}).json()
    assert body["count"] == 4
    assert any(r["sensitive"] for r in body["results"])
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert full.get("/api/v1/case-notes", {"since": later}).json()["count"] == 0
    _problem(full.get("/api/v1/case-notes"), 400, field="since")
    _problem(full.get("/api/v1/case-notes", {"since": "yesterday"}), 400, field="since")
    _problem(bearer(scopes=[scopes.READ_HANDOVERS]).get("/api/v1/case-notes", {"since": since}), 403)


def test_case_notes_paginate_across_both_kinds_in_time_order(bearer, prison):
    prisoner = PrisonerFactory(prison=prison)
    for _ in range(3):
        KeyworkSessionFactory(prisoner=prisoner)
        PomContactFactory(prisoner=prisoner)
    caller = bearer(scopes=[scopes.READ_CASE_NOTES])
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    first = caller.get("/api/v1/case-notes", {"since": since, "pageSize": 4}).json()
    second = caller.get(first["next"]).json()
    rows = first["results"] + second["results"]
    assert len(rows) == 6
    assert len({r["id"] for r in rows}) == 6
    assert [r["createdAt"] for r in rows] == sorted(r["createdAt"] for r in rows)


# Subject access request


def test_subject_access_request_returns_everything_in_range_and_is_audited(bearer, prison):
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    CaseInformationFactory(prisoner=prisoner, crn="Y654321", com=CommunityOffenderManagerFactory())
    PomAllocationFactory(prisoner=prisoner, pom=_pom(prison))
    KeyworkSessionFactory(prisoner=prisoner, notes="Sensitive", is_sensitive=True)
    old = KeyworkSessionFactory(prisoner=prisoner, notes="Old")
    type(old).objects.filter(pk=old.pk).update(created_at=at_noon(dt.date(2020, 1, 1)))
    caller = bearer(scopes=[scopes.READ_SUBJECT_ACCESS, scopes.READ_SENSITIVE_NOTES])  # sensitive text needs it
    today = timezone.localdate()
    response = caller.get("/api/v1/subject-access-request", {"prn": prisoner.prison_number, "fromDate": "2025-01-01",
                                                             "toDate": str(today)})  # fmt: skip
    assert response.status_code == 200, response.content
    content = response.json()["content"]
    assert content["prisoner"]["prisonNumber"] == prisoner.prison_number
    assert [s["notes"] for s in content["keyWorkSessions"]] == ["Sensitive"]
    assert len(content["pomAllocations"]) == 1
    assert content["caseInformation"][0]["crn"] == "Y654321"
    event = AuditEvent.objects.get(action="record_viewed", prison_number=prisoner.prison_number)
    assert event.actor == caller.api_client.user
    assert event.after["from_date"] == "2025-01-01"
    assert event.after["sensitive_notes"] is True, "the audit says the sensitive text went out"
    by_crn = caller.get("/api/v1/subject-access-request", {"crn": "Y654321"}).json()["content"]
    assert {s["notes"] for s in by_crn["keyWorkSessions"]} == {"Sensitive", "Old"}
    plain = bearer(scopes=[scopes.READ_SUBJECT_ACCESS])
    assert plain.get("/api/v1/subject-access-request", {"crn": "Y654321"}).status_code == 200
    latest = AuditEvent.objects.filter(action="record_viewed", actor=plain.api_client.user).get()
    assert latest.after["sensitive_notes"] is False


def test_subject_access_request_errors_and_no_content(bearer, prison):
    caller = bearer(scopes=[scopes.READ_SUBJECT_ACCESS])
    _problem(caller.get("/api/v1/subject-access-request"), 400, field="prn")
    _problem(caller.get("/api/v1/subject-access-request", {"prn": "nope"}), 400, field="prn")
    _problem(caller.get("/api/v1/subject-access-request", {"crn": "nope"}), 400, field="crn")
    _problem(caller.get("/api/v1/subject-access-request", {"prn": "A1234BC", "fromDate": "2025-02-01",
                                                           "toDate": "2025-01-01"}), 400, field="toDate")  # fmt: skip
    assert caller.get("/api/v1/subject-access-request", {"prn": "A1234BC"}).status_code == 204
    assert not AuditEvent.objects.filter(action="record_viewed").exists()
    _problem(bearer(scopes=ALL_READ).get("/api/v1/subject-access-request", {"prn": "A1234BC"}), 403)


def test_staff_session_reads_their_own_prison_only(pom_user, prison, other_prison):
    from rest_framework.test import APIClient

    mine = make_case(prison=prison)
    theirs = make_case(prison=other_prison)
    caller = APIClient()
    caller.force_login(pom_user)
    assert caller.get(f"/api/v1/handovers/{mine.prison_number}").status_code == 200
    _problem(caller.get(f"/api/v1/handovers/{theirs.prison_number}"), 404)
    _problem(caller.get("/api/v1/subject-access-request", {"prn": mine.prison_number}), 403)


@pytest.mark.parametrize(
    ("url", "scope", "queries"),
    [
        ("/api/v1/allocation/{}", scopes.READ_ALLOCATIONS, 2),  # the prisoner, the allocations
        ("/api/v1/allocation/{}/primary-pom", scopes.READ_ALLOCATIONS, 2),
        ("/api/v1/offenders/{}", scopes.READ_ALLOCATIONS, 2),  # the prisoner, the latest assessment
        ("/api/v1/key-work/{}", scopes.READ_CASE_NOTES, 3),  # the prisoner, the key worker, the latest session
    ],
)
def test_single_case_query_counts_are_pinned(bearer, prison, django_assert_num_queries, url, scope, queries):
    pom = _pom(prison)
    prisoner = make_case(prison=prison, pom=pom, com=True)
    PomAllocationFactory(prisoner=prisoner, pom=_pom(prison, "Co", "Worker", "co@x.gov.uk"), role="co_working")
    KeyworkAllocationFactory(prisoner=prisoner)
    KeyworkSessionFactory(prisoner=prisoner)
    EarlyAllocationFactory(prisoner=prisoner)
    caller = bearer(scopes=[scope])
    caller.get(url.format(prisoner.prison_number))  # the token is cached now
    with django_assert_num_queries(queries):
        assert caller.get(url.format(prisoner.prison_number)).status_code == 200


def test_case_notes_query_count_does_not_grow_with_rows(bearer, prison, django_assert_num_queries):
    caller = bearer(scopes=[scopes.READ_CASE_NOTES])
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    caller.get("/api/v1/case-notes", {"since": since})
    for n in (1, 5):
        prisoner = PrisonerFactory(prison=prison)
        for _ in range(n):
            KeyworkSessionFactory(prisoner=prisoner)
            PomContactFactory(prisoner=prisoner)
        with django_assert_num_queries(4):  # two pages of rows, two counts
            caller.get("/api/v1/case-notes", {"since": since})
