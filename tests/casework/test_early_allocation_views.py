"""The early allocation pages: the two-step assessment, the dead end, approval, the community decision, the summary,
the HOMD's list (query count pinned) and the case timeline. Who may do what."""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from cases.models import EarlyAllocation
from tests.casework.early_allocation_setup import ea_case, stored_handover_date
from tests.factories.casework import EarlyAllocationFactory

pytestmark = pytest.mark.django_db

STATUTORY_NO = {
    "convicted_under_terrorism_act_2000": "no",
    "high_profile": "no",
    "serious_crime_prevention_order": "no",
    "mappa_level_3": "no",
    "cppc_case": "no",
}
DISCRETIONARY_NO = {
    "high_risk_of_serious_harm": "no",
    "mappa_level_2": "no",
    "extremism_screening": "no",
    "other_reason": "no",
    "extremism_separation": "no",
}


def _url(name, prisoner):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.prison_number})


def _step_one(**answers):
    oasys = (timezone.localdate() - relativedelta(months=1)).isoformat()
    return {"step": "statutory", "oasys_risk_assessment_date": oasys, **STATUTORY_NO, **answers}


def test_a_pom_assesses_an_eligible_case_in_one_step(client, prison, pom_user, django_capture_on_commit_callbacks):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    page = client.get(_url("early_allocation_start", prisoner)).content.decode()
    assert "Date of the latest OASys risk assessment" in page
    assert "Is the person managed at MAPPA level 3?" in page
    assert "inside the 18-month referral window" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("early_allocation_start", prisoner), _step_one(mappa_level_3="yes"))
    assert response.status_code == 302
    assert response.url == _url("early_allocation_case", prisoner)
    assessment = EarlyAllocation.objects.get(prisoner=prisoner)
    assert assessment.outcome == "eligible"
    assert assessment.created_by == pom_user
    page = client.get(response.url).content.decode()
    assert "Automatically eligible: early allocation applies" in page
    assert "Record the community decision" in page


def test_all_statutory_no_leads_to_the_discretionary_questions_carrying_the_answers(client, prison, pom_user):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    response = client.post(_url("early_allocation_start", prisoner), _step_one())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Discretionary early allocation" in page
    assert 'type="hidden" name="mappa_level_3" value="no"' in page
    assert "due for release within 24 months" in page  # worked out from the dates, not asked
    assert not EarlyAllocation.objects.exists()

    data = {**_step_one(), "step": "discretionary", **DISCRETIONARY_NO, "high_risk_of_serious_harm": "yes"}
    response = client.post(_url("early_allocation_start", prisoner), data)
    assert response.status_code == 200
    assert "Give the reason for a discretionary referral" in response.content.decode()
    assert response.content.decode().count("govuk-error-summary") >= 1

    response = client.post(_url("early_allocation_start", prisoner), {**data, "reason": "Complex release plans"})
    assert response.status_code == 302
    assessment = EarlyAllocation.objects.get(prisoner=prisoner)
    assert (assessment.outcome, assessment.reason) == ("discretionary", "Complex release plans")


def test_missing_answers_show_the_gov_uk_errors(client, prison, pom_user):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    response = client.post(_url("early_allocation_start", prisoner), {"step": "statutory"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "Enter the date of the latest OASys risk assessment" in page
    assert "Select yes or no: is this a Critical Public Protection Case (CPPC)?" in page
    assert not EarlyAllocation.objects.exists()


def test_without_a_mailbox_the_journey_stops_and_says_what_to_do(client, prison, pom_user):
    prisoner = ea_case(prison=prison, pom_user=pom_user, ldu_email="")
    ldu = prisoner.case_information.local_delivery_unit
    client.force_login(pom_user)
    page = client.get(_url("early_allocation_start", prisoner)).content.decode()
    assert "You cannot assess this case for early allocation yet" in page
    assert f"{ldu.name} has no email address" in page
    assert "Ask a service admin" in page
    response = client.post(_url("early_allocation_start", prisoner), _step_one(mappa_level_3="yes"))
    assert response.status_code == 200
    assert not EarlyAllocation.objects.exists()
    case_page = client.get(_url("early_allocation_case", prisoner)).content.decode()
    assert "What to do" in case_page
    assert "Assess for early allocation" not in case_page


def test_only_the_cases_pom_or_the_homd_may_assess(client, prison, pom_user, staff_user_factory):
    prisoner = ea_case(prison=prison)  # allocated to nobody
    client.force_login(pom_user)
    assert client.get(_url("early_allocation_case", prisoner)).status_code == 200
    assert client.get(_url("early_allocation_start", prisoner)).status_code == 403
    assert client.get(_url("early_allocation_decision", prisoner)).status_code == 403
    assert client.get(_url("early_allocation_approve", prisoner)).status_code == 403
    key_worker = staff_user_factory(roles=["key_worker"], prisons=[prison])
    client.force_login(key_worker)
    assert client.get(_url("early_allocation_case", prisoner)).status_code == 403


def test_the_homd_approves_and_the_pom_records_the_decision(client, prison, pom_user, homd_user):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    assessment = EarlyAllocationFactory(prisoner=prisoner, discretionary=True)
    client.force_login(homd_user)
    page = client.get(_url("early_allocation_approve", prisoner)).content.decode()
    assert "Complex release plans with several agencies" in page
    assert "When you approve" in page
    response = client.post(_url("early_allocation_approve", prisoner), {"expected": assessment.pk})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.approved
    assert assessment.referral_sent_at is not None

    client.force_login(pom_user)
    url = _url("early_allocation_decision", prisoner)
    page = client.get(url).content.decode()
    assert "Did the community accept early allocation?" in page
    today = timezone.localdate().isoformat()
    response = client.post(url, {"expected": assessment.pk, "decided_on": today})
    assert "Select whether the community accepted early allocation" in response.content.decode()
    response = client.post(url, {"expected": assessment.pk, "decision": "yes", "decided_on": today})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.community_decision is True


def test_the_summary_prints_the_answers(client, prison, pom_user):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    assert "has not been assessed" in client.get(_url("early_allocation_summary", prisoner)).content.decode()
    EarlyAllocationFactory(prisoner=prisoner)
    page = client.get(_url("early_allocation_summary", prisoner)).content.decode()
    assert "Managed at MAPPA level 3" in page
    assert prisoner.case_information.crn in page


def test_the_case_timeline_shows_early_allocation(client, prison, pom_user):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    client.force_login(pom_user)
    client.post(_url("early_allocation_start", prisoner), _step_one(high_profile="yes"))
    url = reverse("allocation_timeline", kwargs={"prison_code": prison.code, "prison_number": prisoner.prison_number})
    page = client.get(url).content.decode()
    assert "Early allocation assessed" in page
    assert "inside the 18-month referral window" in page
    assert "Early allocation referral sent to the probation delivery unit" in page
    assert "Early allocation referral:" in page  # the email itself
    today = timezone.localdate()
    client.post(_url("early_allocation_decision", prisoner), {"decided_on": today.isoformat()})
    page = client.get(url).content.decode()
    assert f"The community accepted early allocation on {today.day} {today:%B %Y}" in page


def _grow(prison, n):
    for _ in range(n):
        prisoner = ea_case(prison=prison)
        EarlyAllocationFactory(prisoner=prisoner, discretionary=True)
        EarlyAllocationFactory(prisoner=ea_case(prison=prison))  # eligible: not pending


@pytest.mark.parametrize("show", ["pending", "all"])
def test_the_homd_list_query_count_is_pinned_and_does_not_grow(
    client, prison, homd_user, django_assert_num_queries, show
):
    client.force_login(homd_user)
    url = reverse("early_allocation_list", kwargs={"prison_code": prison.code}) + f"?show={show}"
    _grow(prison, 2)
    client.get(url)  # the session settles its active prison on the first visit
    # Session, user, prison, roles, savepoints and the idle-timeout session save (9), then: count, page.
    expected = 11
    with django_assert_num_queries(expected):
        page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["rows"]) == (2 if show == "pending" else 4)
    _grow(prison, 6)
    with django_assert_num_queries(expected):
        page = client.get(url)
    assert len(page.context["rows"]) == (8 if show == "pending" else 16)


def test_the_homd_list_searches_and_downloads(client, prison, homd_user, pom_user):
    prisoner = ea_case(prison=prison, prisoner_kwargs={"first_name": "Amos", "last_name": "Tarrant"})
    EarlyAllocationFactory(prisoner=prisoner, discretionary=True)
    EarlyAllocationFactory(prisoner=ea_case(prison=prison), discretionary=True)
    client.force_login(homd_user)
    url = reverse("early_allocation_list", kwargs={"prison_code": prison.code})
    page = client.get(url + "?q=tarrant")
    assert [r["assessment"].prisoner_id for r in page.context["rows"]] == [prisoner.pk]
    csv = client.get(url + "?q=tarrant&format=csv")
    body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert prisoner.pk in body
    assert "awaiting_approval" in body
    client.force_login(pom_user)
    assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_stored_handover_has_moved_when_the_response_returns(client, prison, pom_user):
    """No on-commit capture: the real commit of the request runs the recalculation before the response is sent (on
    PostgreSQL + Redis the signal's queued job has no worker, so this is the only recalculation that runs)."""
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    crd = prisoner.sentence.conditional_release_date
    assert stored_handover_date(prisoner) == crd - relativedelta(months=8, days=14)
    client.force_login(pom_user)
    response = client.post(_url("early_allocation_start", prisoner), _step_one(cppc_case="yes"))
    assert response.status_code == 302
    assert stored_handover_date(prisoner) == crd - relativedelta(months=15)


def test_the_case_page_query_count_is_pinned_and_does_not_grow(client, prison, pom_user, django_assert_num_queries):
    prisoner = ea_case(prison=prison, pom_user=pom_user)
    EarlyAllocationFactory(prisoner=prisoner, discretionary=True)
    client.force_login(pom_user)
    url = _url("early_allocation_case", prisoner)
    client.get(url)
    # Session, user, prison, roles, savepoints, session save (9); the case, its release dates (facts), every
    # assessment, the latest, the allocated-POM check.
    expected = 14
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    for _ in range(5):
        EarlyAllocationFactory(prisoner=prisoner)
    with django_assert_num_queries(expected):
        page = client.get(url)
    assert len(page.context["assessments"]) == 6
