"""A NUL character anywhere in the address, the query string or a posted form is a 400, not a 500: PostgreSQL text
cannot hold it, so a search (``?q=%00``), a filter (``?ldu=%00``) or a prison number in the path (``A%001``) would
otherwise fail in the database (omic.middleware.RejectNulCharacters)."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/prisons/LEI/allocations/?q=%00",
    "/prisons/LEI/allocations/allocated/?q=a%00b",
    "/prisons/LEI/prisoners/?q=%00",
    "/prisons/LEI/allocations/cases/A%001/",
    "/prisons/LEI/prisoners/A%001/",
    "/prisons/LEI/prisoners/A%001/tier/",
    "/prisons/LEI/prisoners/A%001/handover/checklist/",
    "/handovers/community-pipeline/?ldu=%00",
    "/handovers/community-pipeline/?region=%00",
    "/handovers/community-pipeline/?%00=x",
    "/prisons/switch/?prison=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_a_nul_in_the_address_is_a_bad_request(client, homd_user, url):
    client.force_login(homd_user)
    response = client.get(url)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_a_nul_in_a_posted_form_is_a_bad_request(client, homd_user):
    client.force_login(homd_user)
    assert client.post("/prisons/switch/", {"prison": "LE\x00I"}).status_code == 400


def test_ordinary_requests_pass(client, homd_user, prison):
    client.force_login(homd_user)
    assert client.get("/prisons/LEI/allocations/?q=smith").status_code == 200
    assert client.post("/prisons/switch/", {"prison": "LEI"}).status_code == 302
