"""The case pages: review, choose a POM, compare, confirm (with the override step), deallocate, co-working POM,
missing details by hand and the timeline."""

import pytest
from django.urls import reverse

from cases.models import AuditEvent, PomAllocation
from tests.factories import PrisonerFactory, SentenceFactory
from tests.factories.allocation import PomAllocationFactory, ready_case
from tests.factories.handover import StoredHandoverFactory

pytestmark = pytest.mark.django_db


def _url(name, prisoner):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.prison_number})


@pytest.fixture
def tier_a(prison):
    prisoner = ready_case(prison=prison, tier="A", first_name="Tom", last_name="Archer")
    StoredHandoverFactory(prisoner=prisoner)  # POM responsible
    return prisoner


def test_review_shows_the_summary_and_the_recommendation(client, homd_user, tier_a, poms):
    PomAllocationFactory(prisoner=tier_a, pom=poms["prison_b"], ended_at="2026-01-01T00:00Z", end_trigger="transfer")
    client.force_login(homd_user)
    page = client.get(_url("allocation_review", tier_a)).content.decode()
    assert "Recommended: Probation POM" in page
    assert "tier A case with the POM responsible" in page
    assert "Paul Baker (Primary POM" in page  # previous POM
    assert "Choose a POM" in page


def test_choose_ranks_and_lists_poms_by_type_with_constant_queries(
    client, homd_user, tier_a, poms, prison, django_assert_num_queries
):
    client.force_login(homd_user)
    url = _url("allocation_choose", tier_a)
    client.get(url)
    with django_assert_num_queries(13):
        response = client.get(url)
    suggestions = response.context["suggestions"]
    assert suggestions[0][0].candidate.pom_id == poms["probation"].pk  # the recommended type first
    page = response.content.decode()
    assert "Is a probation POM, the recommended type" in page
    for i in range(10):
        other = ready_case(prison=prison, tier="ABCD"[i % 4])
        PomAllocationFactory(prisoner=other, pom=poms["prison_a"])
    with django_assert_num_queries(13):
        response = client.get(url)
    row = next(r for _, rows in response.context["groups"] for r in rows if r["pom"] == poms["prison_a"])
    assert row["tiers"] == [3, 3, 2, 2]
    assert row["roles"] == [10, 0, 0]
    assert str(row["workload"].load) == "11.75"  # 3×1.5 + 3×1.25 + 2×1.0 + 2×0.75


def test_compare_up_to_four(client, homd_user, tier_a, poms):
    client.force_login(homd_user)
    url = _url("allocation_compare", tier_a)
    ids = [poms[k].pk for k in ("prison_a", "probation")]
    response = client.get(url, {"pom": ids})
    assert {r["pom"].pk for r in response.context["rows"]} == set(ids)
    assert "Weighted load per FTE" in response.content.decode()
    assert "Select up to 4 POMs" in client.get(url, {"pom": [1, 2, 3, 4, 5]}).content.decode()
    assert "Select at least one POM" in client.get(url).content.decode()


def test_confirm_asks_for_an_override_reason_for_the_other_type(client, homd_user, tier_a, poms, mailoutbox):
    client.force_login(homd_user)
    url = _url("allocation_confirm", tier_a) + f"?pom={poms['prison_a'].pk}"
    page = client.get(url).content.decode()
    assert "a probation pom is recommended" in page.lower()
    response = client.post(url, {"expected": "", "override_reason": "other", "override_detail": ""})
    assert response.status_code == 200
    assert "Give the reason in your own words" in response.content.decode()
    assert not PomAllocation.objects.exists()
    response = client.post(
        url,
        {"expected": "", "override_reason": "suitability", "override_detail": "Works best with a prison POM"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _url("allocation_review", tier_a)
    allocation = PomAllocation.objects.get()
    assert allocation.override_reason == "suitability"
    assert allocation.pom == poms["prison_a"]
    assert "Tom Archer has been allocated to Priya Adams" in response.content.decode()


def test_a_second_person_confirming_gets_the_clear_message(client, homd_user, tier_a, poms):
    client.force_login(homd_user)
    url = _url("allocation_confirm", tier_a) + f"?pom={poms['probation'].pk}"
    PomAllocationFactory(prisoner=tier_a, pom=poms["prison_b"])  # someone else, meanwhile
    response = client.post(url, {"expected": "", "message": ""})
    assert "Someone else allocated this case to Paul Baker" in response.content.decode()


def test_deallocate_and_co_worker_pages(client, homd_user, tier_a, poms):
    client.force_login(homd_user)
    primary = PomAllocationFactory(prisoner=tier_a, pom=poms["probation"])
    response = client.post(_url("allocation_co_worker", tier_a), {"pom": poms["probation"].pk})
    assert "Select a valid choice" in response.content.decode()  # the primary is not offered
    client.post(_url("allocation_co_worker", tier_a), {"pom": poms["prison_a"].pk, "message": "Shadow Olu"})
    assert PomAllocation.objects.get(role="co_working").pom == poms["prison_a"]
    client.post(_url("allocation_co_worker_remove", tier_a))
    assert not PomAllocation.objects.filter(role="co_working", ended_at__isnull=True).exists()
    client.post(_url("allocation_deallocate", tier_a), {"expected": str(primary.pk)})
    primary.refresh_from_db()
    assert primary.end_trigger == "user"


def test_a_pom_may_look_but_not_allocate(client, pom_user, tier_a):
    client.force_login(pom_user)
    assert client.get(_url("allocation_review", tier_a)).status_code == 200
    assert client.get(_url("allocation_timeline", tier_a)).status_code == 200
    for name in ("allocation_choose", "allocation_confirm", "allocation_deallocate", "allocation_co_worker"):
        assert client.get(_url(name, tier_a)).status_code == 403, name
    assert client.get(_url("allocation_missing_details_form", tier_a)).status_code == 403


def test_missing_details_by_hand(client, homd_user, prison):
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    client.force_login(homd_user)
    url = _url("allocation_missing_details_form", prisoner)
    response = client.post(url, {"tier": "B", "tier_reason": "", "enhanced_resourcing": "unknown"})
    assert "Say why you are entering the tier by hand" in response.content.decode()
    response = client.post(
        url,
        {
            "tier": "B",
            "tier_reason": "Not in nDelius yet",
            "rosh_level": "high",
            "mappa_level": "2",
            "enhanced_resourcing": "yes",
        },
    )
    assert response.status_code == 302
    case = prisoner.__class__.objects.get(pk=prisoner.pk).case_information
    assert (case.tier, case.tier_source, case.rosh_level, case.mappa_level, case.enhanced_resourcing) == (
        "B",
        "manual",
        "high",
        2,
        True,
    )
    assert AuditEvent.objects.filter(prison_number=prisoner.prison_number, reason="Not in nDelius yet").exists()


def test_the_womens_estate_asks_for_the_complexity(client, homd_user, prison):
    prison.estate = "womens"
    prison.save()
    prisoner = ready_case(prison=prison, tier="C")
    client.force_login(homd_user)
    url = _url("allocation_missing_details_form", prisoner)
    response = client.post(url, {"enhanced_resourcing": "no"})
    assert "Choose the complexity of need" in response.content.decode()
    client.post(url, {"tier": "C", "enhanced_resourcing": "no", "womens_complexity": "high"})  # tier unchanged
    prisoner.case_information.refresh_from_db()
    assert prisoner.case_information.womens_complexity == "high"


def test_the_timeline_tells_the_whole_story(client, homd_user, tier_a, poms, django_capture_on_commit_callbacks):
    client.force_login(homd_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _url("allocation_confirm", tier_a) + f"?pom={poms['prison_a'].pk}",
            {"expected": "", "override_reason": "no_staff"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("allocation_co_worker", tier_a), {"pom": poms["prison_b"].pk})
    page = client.get(_url("allocation_timeline", tier_a)).content.decode()
    assert "Primary POM allocated" in page
    assert "POM type recommendation overridden" in page
    assert "No available POMs of the recommended type" in page
    assert "Co-working POM allocated" in page
    assert "Email sent" in page
    assert "New allocation: Tom Archer" in page
