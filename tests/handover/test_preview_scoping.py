"""The policy preview never shows a HOMD the cases of a prison they do not work in (DECISIONS.md D-17)."""

import pytest
from django.urls import reverse

from tests.handover.pages_setup import make_case

pytestmark = pytest.mark.django_db


def test_a_blank_prison_is_refused_to_a_homd_and_lists_nothing(client, homd_user, prison, other_prison):
    make_case(prison=prison, days=20)
    elsewhere = make_case(prison=other_prison, days=20)
    client.force_login(homd_user)
    response = client.get(reverse("handover_policy_preview") + "?policy=2019&prison=")
    assert response.status_code == 200
    assert response.context["form"].errors["prison"] == ["Select a prison"]
    assert "page" not in response.context
    assert elsewhere.prison_number not in response.content.decode()


def test_a_service_admin_may_preview_every_prison(client, staff_user_factory, prison, other_prison):
    here, elsewhere = make_case(prison=prison, days=20), make_case(prison=other_prison, days=20)
    client.force_login(staff_user_factory(roles=["service_admin"]))
    response = client.get(reverse("handover_policy_preview") + "?policy=current&prison=")
    listed = {row.prison_number for row in response.context["page"].object_list}
    assert {here.prison_number, elsewhere.prison_number} <= listed
