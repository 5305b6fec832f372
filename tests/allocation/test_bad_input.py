"""Garbage in query strings and forms gives a page or a 404, never a 500 (ids: cases.params.positive_id)."""

import pytest
from django.urls import reverse

from cases.models import PomAllocation
from tests.factories.allocation import PomAllocationFactory, ready_case
from tests.factories.handover import StoredHandoverFactory

pytestmark = pytest.mark.django_db

BAD_IDS = ["²", "99999999999999999999", "１", "-1", "abc"]


def _case_url(name, prisoner):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.prison_number})


@pytest.fixture
def case(prison):
    prisoner = ready_case(prison=prison, tier="C", first_name="Tom", last_name="Archer")
    StoredHandoverFactory(prisoner=prisoner)
    return prisoner


@pytest.mark.parametrize("bad", BAD_IDS)
def test_allocated_list_ignores_a_pom_filter_that_is_not_an_id(client, homd_user, case, poms, bad):
    PomAllocationFactory(prisoner=case, pom=poms["prison_a"])
    client.force_login(homd_user)
    response = client.get(reverse("allocation_allocated", kwargs={"prison_code": "LEI"}), {"pom": bad})
    assert response.status_code == 200
    assert response.context["pom_id"] is None
    assert [r["prisoner"] for r in response.context["rows"]] == [case]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_compare_ignores_pom_ids_that_are_not_ids(client, homd_user, case, poms, bad):
    client.force_login(homd_user)
    good = poms["prison_a"].pk
    response = client.get(_case_url("allocation_compare", case), {"pom": [bad, str(good)]})
    assert response.status_code == 200
    assert [r["pom"].pk for r in response.context["rows"]] == [good]
    response = client.get(_case_url("allocation_compare", case), {"pom": bad})
    assert response.status_code == 200
    assert response.context["error"] == "Select at least one POM to compare"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_confirm_with_a_pom_that_is_not_an_id_is_a_404(client, homd_user, case, poms, bad):
    client.force_login(homd_user)
    assert client.get(_case_url("allocation_confirm", case), {"pom": bad}).status_code == 404


@pytest.mark.parametrize("bad", ["abc", "²", "99999999999999999999", "1.5"])
def test_confirm_with_a_garbage_expected_allocation_is_a_field_error_not_a_500(client, homd_user, case, poms, bad):
    client.force_login(homd_user)
    url = _case_url("allocation_confirm", case) + f"?pom={poms['probation'].pk}"
    response = client.post(url, {"expected": bad, "override_reason": "other", "override_detail": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "This page is out of date" in response.content.decode()  # above the form: the field is hidden
    assert not PomAllocation.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "²", "99999999999999999999"])
def test_deallocate_with_a_garbage_expected_allocation_is_refused(client, homd_user, case, poms, bad):
    PomAllocationFactory(prisoner=case, pom=poms["prison_a"])
    client.force_login(homd_user)
    response = client.post(_case_url("allocation_deallocate", case), {"expected": bad})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert PomAllocation.objects.filter(ended_at__isnull=True).count() == 1


def test_deallocate_with_the_right_expected_allocation_still_works(client, homd_user, case, poms):
    allocation = PomAllocationFactory(prisoner=case, pom=poms["prison_a"])
    client.force_login(homd_user)
    response = client.post(_case_url("allocation_deallocate", case), {"expected": str(allocation.pk)})
    assert response.status_code == 302
    assert not PomAllocation.objects.filter(ended_at__isnull=True).exists()


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", 10**20])
def test_the_allocate_service_treats_a_garbage_expected_id_as_a_conflict(case, poms, homd_user, bad):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from allocation.services import allocate

    with pytest.raises(ValidationError):
        allocate(case, poms["prison_a"], actor=homd_user, today=timezone.localdate(), expected_primary=bad)
    assert not PomAllocation.objects.exists()


@pytest.mark.parametrize("name", ["pom_detail", "pom_edit", "pom_reallocate", "pom_reallocate_check"])
def test_a_pom_id_too_big_for_the_database_is_a_404(client, homd_user, poms, name):
    client.force_login(homd_user)
    url = reverse(name, kwargs={"prison_code": "LEI", "pom_id": 1}).replace("/1/", "/99999999999999999999/")
    assert client.get(url).status_code == 404
    assert client.post(url, {"working_pattern": "abc", "target": "abc"}).status_code == 404


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_prison_handover_list_ignores_a_pom_filter_that_is_not_an_id(client, homd_user, poms, bad):
    client.force_login(homd_user)
    response = client.get(reverse("handover_list_prison", kwargs={"prison_code": "LEI"}), {"pom": bad})
    assert response.status_code == 200
    assert response.context["pom"] is None
