"""D-06: an active override to the COM shows wherever allocation shows responsibility (the Allocated list and its CSV,
the case summary, choose a POM, the POM's caseload and the allocation email), and counts as the COM being
responsible for the recommended POM type (a prison POM, D-08) and the POM's role (supporting)."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from allocation.selectors import case_get_for_allocation, pom_workload_get, recommendation_for
from allocation.services import allocate
from cases.models import PomAllocation
from tests.factories.allocation import PomAllocationFactory, ready_case
from tests.factories.handover import ResponsibilityOverrideFactory, StoredHandoverFactory

pytestmark = pytest.mark.django_db
OVERRIDDEN = "Overridden to COM"


@pytest.fixture
def tier_b(prison):
    """Tier B with the POM responsible: a probation POM is recommended until the case is overridden to the COM."""
    prisoner = ready_case(prison=prison, tier="B", first_name="Bea", last_name="Bright")
    StoredHandoverFactory(prisoner=prisoner)  # CustodyOnly
    return prisoner


def _override(prisoner):
    return ResponsibilityOverrideFactory(prisoner=prisoner)


def _case_url(name, prisoner):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.prison_number})


def test_the_recommendation_follows_the_override(tier_b, prison):
    assert recommendation_for(prisoner=case_get_for_allocation(prison=prison, prison_number=tier_b.pk)).pom_type == (
        "probation"
    )
    _override(tier_b)
    recommendation = recommendation_for(prisoner=case_get_for_allocation(prison=prison, prison_number=tier_b.pk))
    assert recommendation.pom_type == "prison"
    assert not recommendation.pom_responsible
    # Without the annotation (any Prisoner instance) the selector asks for the override itself.
    tier_b.refresh_from_db()
    assert recommendation_for(prisoner=tier_b).pom_type == "prison"


def test_a_removed_override_no_longer_counts(tier_b, prison):
    override = _override(tier_b)
    override.removed_at, override.removal_reason = timezone.now(), "The COM is no longer leading"
    override.save()
    assert recommendation_for(prisoner=case_get_for_allocation(prison=prison, prison_number=tier_b.pk)).pom_type == (
        "probation"
    )


def test_allocating_an_overridden_case_to_a_prison_pom_needs_no_override_reason(tier_b, poms, homd_user):
    _override(tier_b)
    allocation = allocate(tier_b, poms["prison_a"], actor=homd_user, today=timezone.localdate())
    assert allocation.recommended_pom_type == "prison"
    assert allocation.override_reason == ""


def test_the_allocated_list_and_its_csv_show_the_override(client, homd_user, prison, poms, tier_b):
    PomAllocationFactory(prisoner=tier_b, pom=poms["probation"])
    plain = ready_case(prison=prison, tier="C", last_name="Plain")
    StoredHandoverFactory(prisoner=plain)
    PomAllocationFactory(prisoner=plain, pom=poms["prison_a"])
    _override(tier_b)
    client.force_login(homd_user)
    url = reverse("allocation_allocated", kwargs={"prison_code": prison.code})
    page = client.get(url).content.decode()
    assert page.count(OVERRIDDEN) == 1
    assert "POM responsible" in page  # the other case keeps its calculated responsibility
    body = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    rows = {line.split(",")[0]: line for line in body.splitlines()[1:]}
    assert "overridden to the COM" in rows[tier_b.pk]
    assert "overridden" not in rows[plain.pk]
    assert "POM responsible" in rows[plain.pk]


def test_the_case_summary_and_choose_page_show_the_override(client, homd_user, tier_b, poms):
    client.force_login(homd_user)
    assert OVERRIDDEN not in client.get(_case_url("allocation_review", tier_b)).content.decode()
    _override(tier_b)
    review = client.get(_case_url("allocation_review", tier_b)).content.decode()
    assert OVERRIDDEN in review
    assert "Recommended: Prison POM" in review
    choose = client.get(_case_url("allocation_choose", tier_b)).content.decode()
    assert OVERRIDDEN in choose


def test_an_overridden_case_counts_as_supporting_in_the_pom_workload(tier_b, poms):
    PomAllocationFactory(prisoner=tier_b, pom=poms["probation"])
    today = timezone.localdate()
    assert pom_workload_get(pom=poms["probation"], today=today).by_role == {
        "responsible": 1,
        "supporting": 0,
        "co_working": 0,
    }
    _override(tier_b)
    assert pom_workload_get(pom=poms["probation"], today=today).by_role == {
        "responsible": 0,
        "supporting": 1,
        "co_working": 0,
    }


def test_the_pom_caseload_shows_the_override_and_the_supporting_role(client, homd_user, prison, poms, tier_b):
    PomAllocationFactory(prisoner=tier_b, pom=poms["probation"], role=PomAllocation.Role.PRIMARY)
    _override(tier_b)
    client.force_login(homd_user)
    url = reverse("pom_detail", kwargs={"prison_code": prison.code, "pom_id": poms["probation"].pk})
    response = client.get(url + "?tab=caseload")
    [case] = response.context["cases"]
    assert case.role == "supporting"
    assert case.responsibility_overridden
    assert OVERRIDDEN in response.content.decode()


def test_the_allocation_email_says_the_case_is_overridden(tier_b, poms, homd_user, django_capture_on_commit_callbacks):
    _override(tier_b)
    with django_capture_on_commit_callbacks(execute=True):
        allocate(tier_b, poms["prison_a"], actor=homd_user, today=timezone.localdate())
    [email] = mail.outbox
    assert "Responsibility: COM responsible, POM supporting (overridden to the COM)" in email.body
