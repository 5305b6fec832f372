"""Prison scoping of the early allocation pages (DECISIONS.md D-17), checked on its own as well as by the project-wide
walk in tests/omic/test_prison_scoping.py: another prison's pages are 404 for every method; one's own answer."""

import pytest
from django.urls import reverse

from tests.casework.early_allocation_setup import ea_case
from tests.factories.casework import EarlyAllocationFactory

pytestmark = pytest.mark.django_db

CASE_PAGES = [
    "early_allocation_case",
    "early_allocation_start",
    "early_allocation_summary",
    "early_allocation_approve",
    "early_allocation_decision",
]
ALL_ROLES = ["pom", "homd", "homs", "case_admin", "key_worker"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_prisons_pages_are_404(client, prison, other_prison, staff_user_factory, method):
    elsewhere = ea_case(prison=other_prison)
    EarlyAllocationFactory(prisoner=elsewhere, discretionary=True)
    client.force_login(staff_user_factory(roles=ALL_ROLES, prisons=[prison]))
    urls = [reverse(n, kwargs={"prison_code": other_prison.code, "prison_number": elsewhere.pk}) for n in CASE_PAGES]
    urls.append(reverse("early_allocation_list", kwargs={"prison_code": other_prison.code}))
    # A prisoner held elsewhere is not visible through one's own prison either.
    urls += [reverse(n, kwargs={"prison_code": prison.code, "prison_number": elsewhere.pk}) for n in CASE_PAGES]
    for url in urls:
        assert getattr(client, method)(url).status_code == 404, url


def test_ones_own_pages_answer_with_or_without_an_assessment(client, prison, staff_user_factory):
    client.force_login(staff_user_factory(roles=ALL_ROLES, prisons=[prison]))
    fresh = ea_case(prison=prison)
    assessed = ea_case(prison=prison)
    EarlyAllocationFactory(prisoner=assessed, discretionary=True)
    for prisoner in (fresh, assessed):
        for name in CASE_PAGES:
            url = reverse(name, kwargs={"prison_code": prison.code, "prison_number": prisoner.pk})
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("early_allocation_list", kwargs={"prison_code": prison.code})).status_code == 200
