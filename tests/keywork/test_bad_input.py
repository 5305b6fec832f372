"""Garbage in a key work query string or form gets a clear answer, never a 500 (found by the code review)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "start=0001-01-02&end=0001-03-01",
        "start=9999-12-01&end=9999-12-31",
        "start=9999-12-01&end=9999-12-31&format=weeks",
    ],
)
def test_a_dashboard_period_far_in_the_past_or_future_is_refused_naming_the_field(client, homs_user, prison, query):
    client.force_login(homs_user)
    response = client.get(reverse("keywork_dashboard", kwargs={"prison_code": prison.code}) + "?" + query)
    assert response.status_code in (200, 400)
    assert "Enter a date between 1 January 2000 and 31 December 2099" in response.content.decode()


@pytest.mark.parametrize("key_worker", ["²", "99999999999999999999", "-1", "abc", ""])
def test_an_auto_allocation_placement_that_is_not_an_id_is_ignored(client, homs_user, prison, config, key_worker):
    client.force_login(homs_user)
    url = reverse("keywork_auto_allocation", kwargs={"prison_code": prison.code})
    response = client.post(url, {"placement": [f"A1234BC:{key_worker}"]})
    assert response.status_code == 302  # "There was nothing to confirm", back to the proposal
    assert response.url == url
