"""Contract tests of PUT /api/v1/prisoners/{prisonNumber} and PUT .../case-information: scopes, prison scoping,
field-named problems, idempotency."""

import pytest

from api import scopes
from cases.models import AuditEvent, CaseInformation, PomAllocation, Prisoner, Sentence
from tests.factories import PrisonFactory
from tests.factories.allocation import PomAllocationFactory
from tests.factories.cases import LocalDeliveryUnitFactory, PomProfileFactory, PrisonerFactory
from tiering.models import TierRecord

pytestmark = pytest.mark.django_db

NUMBER = "A1234BC"


def body(**changes):
    data = {
        "firstName": "John",
        "lastName": "Smith",
        "dateOfBirth": "1980-02-03",
        "prisonId": "LEI",
        "legalStatus": "sentenced",
        "imprisonmentStatus": "SENT03",
        "cellLocation": "A-1-001",
        "sentence": {
            "sentenceType": "determinate",
            "sentenceStartDate": "2025-06-01",
            "conditionalReleaseDate": "2027-06-01",
            "sentenceExpiryDate": "2029-06-01",
            "licenceExpiryDate": "2029-06-01",
        },
    }
    data.update(changes)
    return data


def url(number=NUMBER, case=False):
    return f"/api/v1/prisoners/{number}" + ("/case-information" if case else "")


def fields(response):
    return [error["field"] for error in response.json().get("errors", [])]


@pytest.fixture
def leeds(db):
    return PrisonFactory(code="LEI", name="HMP Leeds")


@pytest.fixture
def writer(bearer, leeds):
    return bearer(scopes=[scopes.WRITE_PRISONERS, scopes.WRITE_PROBATION])


def test_put_creates_then_the_same_put_changes_nothing(writer):
    first = writer.put(url(), body(), format="json")
    assert first.status_code == 201, first.content
    assert first.json() == {"prisonNumber": NUMBER, "outcome": "created"}
    prisoner = Prisoner.objects.get(pk=NUMBER)
    assert prisoner.sentence.conditional_release_date.isoformat() == "2027-06-01"
    audits, history = AuditEvent.objects.count(), Prisoner.history.count() + Sentence.history.count()

    again = writer.put(url(), body(), format="json")

    assert again.status_code == 200
    assert again.json()["outcome"] == "unchanged"
    assert AuditEvent.objects.count() == audits
    assert Prisoner.history.count() + Sentence.history.count() == history


def test_a_changed_field_is_updated_and_a_left_out_field_is_not_known(writer):
    writer.put(url(), body(), format="json")
    response = writer.put(url(), body(cellLocation="B-2-002", imprisonmentStatus=None), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "updated"
    prisoner = Prisoner.objects.get(pk=NUMBER)
    assert prisoner.cell_location == "B-2-002"
    data = body()
    del data["dateOfBirth"]
    writer.put(url(), data, format="json")
    assert Prisoner.objects.get(pk=NUMBER).date_of_birth is None


def test_without_the_scope_the_put_is_forbidden(bearer, leeds):
    reader = bearer(scopes=[scopes.READ_HANDOVERS, scopes.WRITE_PROBATION])
    response = reader.put(url(), body(), format="json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Prisoner.objects.exists()


def test_case_information_needs_the_probation_scope(bearer, leeds):
    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    prison_writer = bearer(scopes=[scopes.WRITE_PRISONERS])
    assert prison_writer.put(url(case=True), {"crn": "X123456"}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"firstName": ""}, "firstName"),
        ({"legalStatus": "free"}, "legalStatus"),
        ({"prisonId": "ZZZ"}, "prisonId"),
        ({"dateOfBirth": "03/02/1980"}, "dateOfBirth"),
        ({"sentence": {"sentenceType": "determinate", "sentenceStartDate": "soon"}}, "sentence.sentenceStartDate"),
        ({"sentence": {"sentenceStartDate": "2025-01-01"}}, "sentence.sentenceType"),
        # Cross-field rules the database enforces, refused by the service before it writes.
        (
            {"sentence": {"sentenceType": "determinate", "tariffExpiryDate": "2030-01-01"}},
            "sentence.tariffExpiryDate",
        ),
        ({"categoryApprovedDate": "2025-01-01"}, "categoryApprovedDate"),
    ],
)
def test_bad_input_is_a_400_problem_naming_the_field_and_writes_nothing(writer, changes, field):
    audits = AuditEvent.objects.count()
    response = writer.put(url(), body(**changes), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in fields(response)
    assert not Prisoner.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_a_malformed_prison_number_is_a_400_naming_it(writer):
    response = writer.put(url("12345"), body(), format="json")
    assert response.status_code == 400
    assert fields(response) == ["prisonNumber"]


def test_outside_the_clients_prisons_is_a_404(bearer, leeds):
    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    leeds_only = bearer(scopes=[scopes.WRITE_PRISONERS, scopes.WRITE_PROBATION], prisons=[leeds])
    # Into a prison the client may not see.
    assert leeds_only.put(url(), body(prisonId="MDI"), format="json").status_code == 404
    # A person held in a prison the client may not see, even when moving them into its own.
    PrisonerFactory(prison_number="B2345CD", prison=moorland)
    assert leeds_only.put(url("B2345CD"), body(), format="json").status_code == 404
    assert leeds_only.put(url("B2345CD", case=True), {"crn": "X123456"}, format="json").status_code == 404
    assert Prisoner.objects.get(pk="B2345CD").prison_id == "MDI"
    # Its own prison works.
    assert leeds_only.put(url(), body(), format="json").status_code == 201


def test_a_move_to_another_prison_ends_the_pom_allocations(writer, leeds, django_capture_on_commit_callbacks):
    PrisonFactory(code="MDI", name="HMP Moorland")
    writer.put(url(), body(), format="json")
    allocation = PomAllocationFactory(prisoner=Prisoner.objects.get(pk=NUMBER), pom=PomProfileFactory(prison=leeds))
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.put(url(), body(prisonId="MDI"), format="json")
    assert response.json()["outcome"] == "updated"
    allocation.refresh_from_db()
    assert allocation.end_trigger == PomAllocation.EndTrigger.TRANSFER


def test_case_information_is_stored_idempotently_with_the_tier_calculated(writer, leeds):
    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    ldu = LocalDeliveryUnitFactory(code="N07ABC")
    data = {
        "crn": "x123456",
        "roshLevel": "high",
        "mappaLevel": 2,
        "enhancedResourcing": True,
        "lduCode": ldu.code,
        "com": {"name": "Jane Probation", "email": "Jane.Probation@example.gov.uk"},
        "tierInputs": {"rsr": 8, "ogrs": 55},
        "tierModel": "v2",
    }
    first = writer.put(url(case=True), data, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["outcome"] == "updated"
    case = CaseInformation.objects.select_related("com").get(prisoner_id=NUMBER)
    assert (case.crn, case.rosh_level, case.mappa_level, case.local_delivery_unit_id) == ("X123456", "high", 2, ldu.pk)
    assert case.com.email == "jane.probation@example.gov.uk"
    assert case.tier == "B"
    assert TierRecord.objects.filter(prisoner_id=NUMBER, current=True).get().score == "B1"
    audits = AuditEvent.objects.count()

    again = writer.put(url(case=True), data, format="json")

    assert again.json()["outcome"] == "unchanged"
    assert AuditEvent.objects.count() == audits
    assert TierRecord.objects.filter(prisoner_id=NUMBER).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"crn": "123"}, "crn"),
        ({"mappaLevel": 4}, "mappaLevel"),
        ({"lduCode": "NOPE"}, "lduCode"),
        ({"com": {"name": "No email"}}, "com.email"),
        ({"tierInputs": {"rsr": "lots"}}, "tierInputs"),
        ({"tierInputs": [1, 2]}, "tierInputs"),
    ],
)
def test_bad_case_information_is_a_400_naming_the_field(writer, leeds, data, field):
    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    response = writer.put(url(case=True), data, format="json")
    assert response.status_code == 400, response.content
    assert field in fields(response)
    assert not CaseInformation.objects.filter(prisoner_id=NUMBER).exists()


def test_case_information_for_an_unknown_prisoner_is_a_404(writer):
    assert writer.put(url(case=True), {"crn": "X123456"}, format="json").status_code == 404
