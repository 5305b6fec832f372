"""Auto-allocation through the pages (D-16): the proposal saves nothing, confirming is atomic, and a proposal that
went out of date saves nothing either. Query counts are pinned."""

import pytest
from django.urls import reverse

from cases.models import CaseInformation
from keywork.models import KeyworkAllocation, KeyWorkerStatus
from keywork.services import StaleProposal, auto_allocation_confirm
from tests.factories import CaseInformationFactory, PrisonerFactory
from tests.factories.keywork import KeyworkAllocationFactory, KeyWorkerProfileFactory

pytestmark = pytest.mark.django_db


def _url(prison):
    return reverse("keywork_auto_allocation", kwargs={"prison_code": prison.code})


@pytest.fixture
def estate(prison, config):
    workers = [KeyWorkerProfileFactory(prison=prison, capacity=2) for _ in range(2)]
    KeyWorkerProfileFactory(prison=prison, status=KeyWorkerStatus.LONG_TERM_ABSENCE)
    KeyWorkerProfileFactory(prison=prison, allow_auto_allocation=False)
    prisoners = [PrisonerFactory(prison=prison, last_name=f"Name{i:02d}") for i in range(8)]
    high = PrisonerFactory(prison=prison, last_name="Aaron")
    CaseInformationFactory(prisoner=high, womens_complexity=CaseInformation.Complexity.HIGH)
    return {"workers": workers, "prisoners": prisoners, "high": high}


def test_the_proposal_saves_nothing_and_shows_who_could_not_be_placed(client, homs_user, prison, estate):
    client.force_login(homs_user)
    response = client.get(_url(prison))
    assert response.status_code == 200
    # Capacity 2 each gives a maximum of 2 × 9 // 6 = 3 each: 6 placed, 2 not.
    assert len(response.context["placements"]) == 6
    unplaced = response.context["unplaced"]
    assert [u["prisoner"].last_name for u in unplaced] == ["Name06", "Name07"]
    assert "at their maximum caseload" in response.content.decode()
    assert estate["high"].pk not in response.content.decode()  # excluded, and counted as excluded
    assert response.context["excluded_count"] == 1
    assert not KeyworkAllocation.objects.exists()


def test_confirming_saves_every_placement_at_once(client, homs_user, prison, estate):
    client.force_login(homs_user)
    values = [
        f"{p['prisoner'].prison_number}:{p['key_worker'].id}" for p in client.get(_url(prison)).context["placements"]
    ]
    response = client.post(_url(prison), {"placement": values})
    assert response.status_code == 302
    saved = KeyworkAllocation.objects.filter(ended_at__isnull=True)
    assert saved.count() == 6
    assert set(saved.values_list("allocation_type", flat=True)) == {"auto"}
    assert all(a.auto_allocated_at == a.allocated_at for a in saved)
    counts = sorted(saved.values_list("key_worker_id", flat=True))
    assert counts.count(estate["workers"][0].pk) == 3
    assert counts.count(estate["workers"][1].pk) == 3


def test_a_proposal_that_went_out_of_date_saves_nothing(client, homs_user, prison, estate):
    client.force_login(homs_user)
    placements = client.get(_url(prison)).context["placements"]
    values = [f"{p['prisoner'].prison_number}:{p['key_worker'].id}" for p in placements]
    # Meanwhile someone allocates the first prisoner by hand.
    KeyworkAllocationFactory(key_worker=estate["workers"][1], prisoner=estate["prisoners"][0])
    response = client.post(_url(prison), {"placement": values})
    assert response.status_code == 409
    assert "has been allocated a key worker since the proposal" in response.content.decode()
    assert KeyworkAllocation.objects.count() == 1


def test_confirm_refuses_an_inactive_key_worker_and_over_the_maximum(prison, estate, homs_user):
    inactive = KeyWorkerProfileFactory(prison=prison, status=KeyWorkerStatus.INACTIVE)
    with pytest.raises(StaleProposal, match="can no longer take auto-allocation"):
        auto_allocation_confirm(
            prison=prison, placements=[(estate["prisoners"][0].pk, inactive.user_id)], actor=homs_user
        )
    worker = estate["workers"][0]
    four = [(p.pk, worker.user_id) for p in estate["prisoners"][:4]]
    with pytest.raises(StaleProposal, match="over their maximum caseload of 3"):
        auto_allocation_confirm(prison=prison, placements=four, actor=homs_user)
    assert not KeyworkAllocation.objects.exists()


def test_continuity_through_the_page(client, homs_user, prison, estate):
    prisoner = estate["prisoners"][5]
    old = KeyworkAllocationFactory(key_worker=estate["workers"][1], prisoner=prisoner)
    old.ended_at, old.deallocation_reason = old.allocated_at, "other"
    old.deallocation_detail = "moved wing"
    old.save()
    client.force_login(homs_user)
    placements = client.get(_url(prison)).context["placements"]
    mine = next(p for p in placements if p["prisoner"].prison_number == prisoner.pk)
    assert mine["key_worker"].id == estate["workers"][1].user_id
    assert mine["continuity"]


def test_not_allowed_at_the_prison(client, homs_user, prison, estate, config):
    config.allow_auto_allocation = False
    config.save()
    client.force_login(homs_user)
    response = client.get(_url(prison))
    assert "Auto-allocation is not allowed at this prison" in response.content.decode()
    assert client.post(_url(prison), {"placement": [f"{estate['prisoners'][0].pk}:1"]}).status_code == 409


def test_proposal_query_count_does_not_grow_with_the_prison(
    client, homs_user, prison, estate, django_assert_num_queries
):
    client.force_login(homs_user)
    client.get(_url(prison))
    # The session, the user, the prison and roles, then 7 reads for the proposal, and the session's save.
    with django_assert_num_queries(16):
        client.get(_url(prison))
    for _ in range(3):
        KeyWorkerProfileFactory(prison=prison)
    PrisonerFactory.create_batch(10, prison=prison)
    with django_assert_num_queries(16):
        client.get(_url(prison))
