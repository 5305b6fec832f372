"""Bulk reallocation, steps 2 and 3: every case's recommended POM type comes from one query, whatever the caseload,
and is the same recommendation the case page gives (allocation.selectors.recommendation_for)."""

import pytest
from django.urls import reverse

from allocation.selectors import case_for_recommendation, recommendation_for
from cases.models import Prisoner
from tests.allocation import test_staff_support as support
from tests.factories.handover import ResponsibilityOverrideFactory, StoredHandoverFactory

pytestmark = pytest.mark.django_db
staff_estate = support.staff_estate

STEP_2_QUERIES = 16
STEP_3_QUERIES = 16


def _add_cases(prison, pom, n, start=0):
    """Cases of every kind a recommendation reads: tiers, COM-responsible, overridden to the COM, immigration."""
    for i in range(start, start + n):
        kind = i % 4
        extra = {"legal_status": Prisoner.LegalStatus.IMMIGRATION_DETAINEE} if kind == 3 else {}
        case = support.make_case(prison, tier="ABCD"[i % 4], **extra)
        if kind == 1:
            StoredHandoverFactory(prisoner=case, responsibility="Community")
        elif kind == 2:
            StoredHandoverFactory(prisoner=case)
            ResponsibilityOverrideFactory(prisoner=case)
        support.allocate_directly(case, pom)


def _step_2(client, prison, source, target):
    url = reverse("pom_reallocate", kwargs={"prison_code": prison.code, "pom_id": source.pk})
    return client.get(url, {"target": target.pk})


def test_step_2_runs_a_fixed_number_of_queries_whatever_the_caseload(
    client, prison, staff_estate, django_assert_num_queries
):
    ann, bob = staff_estate["ann"], staff_estate["bob"]
    client.force_login(staff_estate["homd"])
    _add_cases(prison, ann, 4)
    _step_2(client, prison, ann, bob)  # warm the session and caches
    with django_assert_num_queries(STEP_2_QUERIES):
        response = _step_2(client, prison, ann, bob)
    assert len(response.context["cases"]) == 6
    _add_cases(prison, ann, 20, start=4)
    with django_assert_num_queries(STEP_2_QUERIES):
        response = _step_2(client, prison, ann, bob)
    assert len(response.context["cases"]) == 26


def test_each_case_gets_the_recommendation_the_case_page_gives(client, prison, staff_estate):
    ann, cat = staff_estate["ann"], staff_estate["cat"]
    client.force_login(staff_estate["homd"])
    _add_cases(prison, ann, 8)
    response = _step_2(client, prison, ann, cat)
    cases = response.context["cases"]
    for case in cases:
        expected = recommendation_for(prisoner=case_for_recommendation(prisoner_number=case.prisoner.pk))
        assert case.recommendation == expected, case.prisoner.pk
    types = {c.recommendation.pom_type for c in cases}
    assert {"probation", "prison"} <= types  # the mix really exercises both sides of the rule
    mismatched = response.context["mismatched"]
    assert mismatched == {c.prisoner.pk for c in cases if c.recommendation.pom_type != "probation"}


def test_step_3_runs_a_fixed_number_of_queries_whatever_the_caseload(
    client, prison, staff_estate, django_assert_num_queries
):
    ann, bob = staff_estate["ann"], staff_estate["bob"]
    client.force_login(staff_estate["homd"])
    step_2 = reverse("pom_reallocate", kwargs={"prison_code": prison.code, "pom_id": ann.pk})
    check = reverse("pom_reallocate_check", kwargs={"prison_code": prison.code, "pom_id": ann.pk})
    for n, start in ((4, 0), (20, 4)):
        _add_cases(prison, ann, n, start=start)
        chosen = [c.prisoner.pk for c in _step_2(client, prison, ann, bob).context["cases"]]
        reason = {"override_reason": "other", "override_detail": "Team change"}
        assert client.post(step_2, {"target": bob.pk, "cases": chosen, **reason}).status_code == 302
        with django_assert_num_queries(STEP_3_QUERIES):
            response = client.get(check)
        assert len(response.context["cases"]) == len(chosen)
