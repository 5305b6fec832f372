"""The prisoner profile: what happens next comes first; every section is there and links to where it is changed;
prison scoping; and a query count that does not grow with the case's history or the POM's caseload."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from cases.models import EarlyAllocation, ParoleReview
from casework.models import CaseTask
from tests.dashboards.caseload_setup import NOON
from tests.factories import CommunityOffenderManagerFactory, PomProfileFactory, PrisonerFactory
from tests.factories.handover import AlertFactory, ResponsibilityOverrideFactory
from tests.factories.tiering import TierRecordFactory
from tests.handover.pages_setup import TODAY, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


def profile_url(prisoner, prison_code=None):
    return reverse(
        "prisoner_detail", kwargs={"prison_code": prison_code or prisoner.prison_id, "prison_number": prisoner.pk}
    )


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def case(prison, pom_user):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    prisoner = make_case(
        prison=prison,
        days=30,
        pom=pom,
        prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"},
        inputs={"sentence_type": "determinate"},
    )
    return prisoner


def test_what_happens_next_is_the_first_thing_and_names_who_acts(client, pom_user, case):
    CaseTask.objects.create(prisoner=case, kind="initial_oasys", due_date=TODAY - dt.timedelta(days=2))
    AlertFactory(prisoner=case, message="Handover to the COM in 30 days and no COM yet")
    client.force_login(pom_user)
    text = text_of(client.get(profile_url(case)))
    next_at = text.index('data-testid="next-actions"')
    assert next_at < text.index('data-testid="handover-panel"') < text.index("Personal details")
    block = text[next_at : text.index("</section>", next_at)]
    assert escape(f"POM ({pom_user.get_full_name()})") in block  # a Faker name may hold an apostrophe
    assert "Complete the initial OASys" in block
    assert "Overdue" in block
    assert "Handover to the COM in 30 days and no COM yet" in block
    assert "make sure the delivery unit allocates a COM" in block  # the handover panel's next step


def test_an_unallocated_case_asks_the_homd_to_allocate_with_a_link(client, homd_user, prison):
    prisoner = make_case(prison=prison, days=200)
    client.force_login(homd_user)
    text = text_of(client.get(profile_url(prisoner)))
    assert "<strong>HOMD:</strong>" in text
    assert "Allocate a POM to this case." in text
    assert reverse("allocation_review", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk}) in text


def test_every_section_is_on_the_page(client, homd_user, case):
    case.case_information.com = CommunityOffenderManagerFactory(name="Cara Comm")
    case.case_information.mappa_level = 2
    case.case_information.save()
    ResponsibilityOverrideFactory(prisoner=case, reason="other", reason_text="Agreed with probation")
    TierRecordFactory(prisoner=case, model="v2", breakdown=[["Protect: RoSH high", 20], ["Change: OGRS", 10]])
    EarlyAllocation.objects.create(
        prisoner=case,
        prison=case.prison,
        oasys_risk_assessment_date=TODAY,
        convicted_under_terrorism_act_2000=True,
        high_profile=False,
        serious_crime_prevention_order=False,
        mappa_level_3=False,
        cppc_case=False,
        outcome="eligible",
        created_within_referral_window=True,
        created_at=NOON,
    )
    ParoleReview.objects.create(prisoner=case, target_hearing_date=TODAY + dt.timedelta(days=100), review_type="ISP")
    client.force_login(homd_user)
    text = text_of(client.get(profile_url(case)))
    for expected in (
        "Tom Ridley",
        "Sentence",
        "Conditional release date (CRD)",
        "Overridden to COM",
        "Agreed with probation",
        "<strong>COM:</strong> Cara Comm",
        'MAPPA level</dt><dd class="govuk-summary-list__value">2',
        'data-testid="tier"',
        "Protect points",
        "RoSH high",
        "Automatically eligible",
        "ISP",
        "Tasks and service level",
        "case management",
        "Key work sessions (0)",
        "POM and key worker contacts (0)",
        "No open alerts.",
        "Case history",
    ):
        assert expected in text, expected
    kwargs = {"prison_code": case.prison_id, "prison_number": case.pk}
    for name in ("tier_detail", "keywork_case", "handover_checklist", "handover_override_remove"):
        assert reverse(name, kwargs=kwargs) in text, name


def test_links_to_pages_not_built_yet_are_left_out_not_broken(client, homd_user, case):
    from dashboards.profile_selectors import case_links

    links = case_links(prison_code=case.prison_id, prison_number=case.pk)
    assert links["tier"].endswith("/tier/")
    assert links["alerts"] == "#alerts"
    assert all(value for value in links.values())


def test_another_prisons_prisoner_is_404(client, homd_user, prison, other_prison):
    elsewhere = PrisonerFactory(prison=other_prison)
    client.force_login(homd_user)
    assert client.get(profile_url(elsewhere, prison_code=prison.code)).status_code == 404
    assert client.get(profile_url(elsewhere)).status_code == 404


def test_a_key_worker_sees_the_profile_without_the_managers_links(client, staff_user_factory, case):
    CaseTask.objects.create(prisoner=case, kind="initial_oasys", due_date=TODAY)
    client.force_login(staff_user_factory(roles=["key_worker"], prisons=[case.prison]))
    response = client.get(profile_url(case))
    assert response.status_code == 200
    text = text_of(response)
    # The task is the case record's (cases.view_case_record): not even its kind in "What happens next".
    assert "Complete the initial OASys" not in text
    assert 'data-testid="next-actions"' in text
    tasks_url = reverse("case_tasks", kwargs={"prison_code": case.prison_id, "prison_number": case.pk})
    assert tasks_url not in text
    assert reverse("tier_detail", kwargs={"prison_code": case.prison_id, "prison_number": case.pk}) not in text
    assert "Override responsibility" not in text


PROFILE_QUERIES_HOMD = 29


def test_the_profile_costs_the_same_queries_with_a_long_history_and_a_big_caseload(
    client, homd_user, prison, case, django_assert_num_queries
):
    """Session, user, prisons, roles; the prisoner; the handover panel (3); allocations; early allocation; timeline
    (2); tier; parole; tasks; service level (3); key work (4); alerts; the record_viewed audit row; the session save;
    and 4 savepoints."""
    client.force_login(homd_user)
    target = profile_url(case)
    client.get(target)
    with django_assert_num_queries(PROFILE_QUERIES_HOMD):
        client.get(target)
    pom = case.pom_allocations.get().pom
    for days in range(30):
        make_case(prison=prison, days=days, pom=pom)
    for _ in range(3):
        AlertFactory(prisoner=case, kind=f"k{_}")
        CaseTask.objects.create(prisoner=case, kind="oasys_review", occurrence=str(_), due_date=TODAY)
        ParoleReview.objects.create(prisoner=case, target_hearing_date=TODAY + dt.timedelta(days=_))
    with django_assert_num_queries(PROFILE_QUERIES_HOMD):
        client.get(target)
