"""The tier page: who may see it and enter a tier by hand, another prison's 404, and its query count."""

import pytest
from django.urls import reverse

from cases.models import CaseInformation
from tests.factories import CaseInformationFactory, PrisonerFactory
from tiering.models import TierRecord
from tiering.services import tier_inputs_update, tier_set_by_hand

pytestmark = pytest.mark.django_db


def url(prisoner, prison_code=None):
    return reverse(
        "tier_detail", kwargs={"prison_code": prison_code or prisoner.prison_id, "prison_number": prisoner.pk}
    )


@pytest.fixture
def prisoner(prison):
    return PrisonerFactory(prison=prison, first_name="Ada", last_name="Lovelace")


def test_shows_the_current_tier_breakdown_and_history(client, homd_user, prisoner, today):
    tier_inputs_update(prisoner, {"rsr": 8, "mappa_level": "M1", "ogrs": 35}, "probation", today=today)
    tier_inputs_update(prisoner, {"rsr": 8, "mappa_level": "M2", "ogrs": 35}, "probation", today=today)
    client.force_login(homd_user)
    response = client.get(url(prisoner))
    assert response.status_code == 200
    text = response.content.decode()
    assert "A1" in text
    assert "B1" in text
    assert "MAPPA level M2" in text
    assert "OGRS 35%" in text
    assert response.context["current"].score == "A1"
    assert [s["title"] for s in response.context["sections"]] == ["Protect points", "Change points"]
    assert response.context["sections"][0]["total"] == 170
    assert len(response.context["history"]) == 2
    assert "Enter the tier by hand" in text


def test_a_case_with_only_an_imported_tier(client, homd_user, prisoner):
    CaseInformationFactory(prisoner=prisoner, tier="C", tier_source="imported")
    client.force_login(homd_user)
    response = client.get(url(prisoner))
    assert response.status_code == 200
    assert "Imported" in response.content.decode()


def test_homd_enters_a_tier_by_hand(client, homd_user, prisoner):
    client.force_login(homd_user)
    response = client.post(url(prisoner), {"tier": "B", "reason": "Probation record not available yet"})
    assert response.status_code == 302
    assert response.url == url(prisoner)
    record = TierRecord.objects.get(prisoner=prisoner, current=True)
    assert (record.tier, record.source, record.recorded_by) == ("B", "manual", homd_user)
    assert CaseInformation.objects.get(prisoner=prisoner).tier == "B"
    page = client.get(response.url).content.decode()
    assert "Tier B entered by hand" in page
    assert "Probation record not available yet" in page


def test_errors_are_named_and_summarised(client, homd_user, prisoner):
    client.force_login(homd_user)
    response = client.post(url(prisoner), {"tier": "", "reason": " "})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Select a tier from A to G" in text
    assert "Enter why the tier is being entered by hand" in text
    assert response.context["form"].errors.keys() == {"tier", "reason"}
    assert not TierRecord.objects.exists()


@pytest.mark.parametrize("role", ["homd", "homs", "case_admin"])
def test_managers_and_case_admins_may_enter_a_tier(client, staff_user_factory, prison, prisoner, role):
    client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
    assert client.post(url(prisoner), {"tier": "C", "reason": "Known"}).status_code == 302


def test_a_pom_sees_the_tier_but_cannot_enter_one(client, pom_user, prisoner):
    client.force_login(pom_user)
    response = client.get(url(prisoner))
    assert response.status_code == 200
    assert not response.context["can_set"]
    assert "Enter the tier by hand" not in response.content.decode()
    assert client.post(url(prisoner), {"tier": "C", "reason": "Known"}).status_code == 403
    assert not TierRecord.objects.exists()


def test_a_key_worker_may_not_see_the_tier_page(client, staff_user_factory, prison, prisoner):
    client.force_login(staff_user_factory(roles=["key_worker"], prisons=[prison]))
    assert client.get(url(prisoner)).status_code == 403


def test_another_prison_is_404_for_every_method(client, homd_user, other_prison):
    elsewhere = PrisonerFactory(prison=other_prison)
    client.force_login(homd_user)
    for method in ("get", "post", "put", "delete"):
        assert getattr(client, method)(url(elsewhere)).status_code == 404


def test_a_prisoner_held_elsewhere_is_404_through_your_own_prison(client, homd_user, prison, other_prison):
    elsewhere = PrisonerFactory(prison=other_prison)
    client.force_login(homd_user)
    assert client.get(url(elsewhere, prison_code=prison.code)).status_code == 404


def test_signed_out_users_go_to_sign_in(client, prisoner):
    response = client.get(url(prisoner))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_query_count_does_not_grow_with_the_history(client, homd_user, prisoner, today, django_assert_num_queries):
    client.force_login(homd_user)
    tier_inputs_update(prisoner, {"rsr": 8}, "probation", today=today)
    client.get(url(prisoner))  # the session settles on this prison

    def count_queries():
        # savepoint, session, user, prisons, roles, prisoner, tier history (current included), inputs, release;
        # then the session save in its own savepoint
        with django_assert_num_queries(QUERIES):
            assert client.get(url(prisoner)).status_code == 200

    count_queries()
    for n in range(5):
        tier_set_by_hand(prisoner, "ABCDE"[n], f"Reason {n}", today=today)
    count_queries()


QUERIES = 12
