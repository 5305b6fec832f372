"""The handover pages of one case: the panel on the prisoner page, the checklist, the override and its removal,
and the POM's reminder email settings."""

import datetime as dt

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import AuditEvent
from handover.models import HandoverChecklist, HandoverEmailPreference, ResponsibilityOverride
from tests.factories import PomProfileFactory
from tests.factories.handover import ResponsibilityOverrideFactory
from tests.handover.pages_setup import COMMUNITY, CUSTODY_ONLY, TODAY, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC), tick=False):
        assert timezone.localdate() == TODAY
        yield


def case_url(name, prisoner):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.pk})


@pytest.fixture
def my_case(prison, pom_user):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    return make_case(
        prison=prison,
        days=30,
        pom=pom,
        inputs={"sentence_type": "determinate", "sentence_start_date": "2025-11-24"},
        earliest_release_date=TODAY + dt.timedelta(days=288),
    )


def test_the_prisoner_page_shows_the_handover_panel_near_the_top(client, pom_user, my_case):
    client.force_login(pom_user)
    page = client.get(case_url("prisoner_detail", my_case)).content.decode()
    panel = page.index('data-testid="handover-panel"')
    assert panel < page.index("Personal details")
    assert "POM responsible" in page
    assert "24 December 2026" in page
    assert "(in 30 days)" in page
    assert "8 months and 14 days before the earliest release date" in page  # the rule, in words
    assert "conditional release date" in page  # the release date used
    assert "What would change this" in page
    assert "Checklist: 0 of 2 done" in page
    assert "make sure the delivery unit allocates a COM before then" in page  # the next step, first
    assert "Override responsibility" not in page  # a POM cannot override


def test_the_panel_says_plainly_when_nothing_is_calculated(client, homd_user, prison):
    from tests.factories import PrisonerFactory

    prisoner = PrisonerFactory(prison=prison)
    client.force_login(homd_user)
    page = client.get(case_url("prisoner_detail", prisoner)).content.decode()
    assert "No handover has been calculated for this case yet" in page


def test_the_panel_shows_the_override_with_who_when_and_why(client, homd_user, my_case):
    ResponsibilityOverrideFactory(
        prisoner=my_case, reason="other", reason_text="Agreed with probation", created_by=homd_user
    )
    client.force_login(homd_user)
    page = client.get(case_url("prisoner_detail", my_case)).content.decode()
    assert "Overridden to COM" in page
    assert "Agreed with probation" in page
    assert escape(homd_user.get_full_name()) in page  # a Faker name may hold an apostrophe
    assert "Remove override" in page


def test_the_prisoner_page_takes_the_same_queries_however_big_the_caseload(
    client, pom_user, prison, my_case, django_assert_num_queries
):
    client.force_login(pom_user)
    target = case_url("prisoner_detail", my_case)
    client.get(target)
    # 30: the full prisoner profile (dashboards.profile_views), the handover panel's three among them, and the
    # record_viewed audit row; a POM reader costs one more query than a HOMD (may they read sensitive key work notes).
    with django_assert_num_queries(30):
        client.get(target)
    pom = my_case.pom_allocations.get().pom
    for days in range(1, 40, 4):
        make_case(prison=prison, days=days, pom=pom)
    ResponsibilityOverrideFactory(prisoner=my_case)
    with django_assert_num_queries(30):  # the override and who made it come with the panel
        client.get(target)


def test_the_allocated_pom_ticks_the_checklist_and_it_is_audited(client, pom_user, my_case):
    client.force_login(pom_user)
    target = case_url("handover_checklist", my_case)
    page = client.get(target)
    assert page.status_code == 200
    assert "0 of 2 done" in page.content.decode()
    response = client.post(target, {"done": ["contacted_com"]})
    assert response.status_code == 302
    checklist = HandoverChecklist.objects.get(prisoner=my_case)
    assert (checklist.contacted_com, checklist.sent_handover_report, checklist.updated_by) == (True, False, pom_user)
    event = AuditEvent.objects.get(action="handover_checklist_updated")
    assert event.after == {"contacted_com": True}
    assert "1 of 2 done" in client.get(target).content.decode()
    # Saving the same answers again changes nothing and writes no audit row.
    client.post(target, {"done": ["contacted_com"]})
    assert AuditEvent.objects.filter(action="handover_checklist_updated").count() == 1


def test_a_care_experienced_person_under_25_gets_the_meeting_on_a_standard_checklist(client, pom_user, my_case):
    my_case.care_experienced = True
    my_case.date_of_birth = TODAY - relativedelta(years=22)
    my_case.save()
    client.force_login(pom_user)
    page = client.get(case_url("handover_checklist", my_case)).content.decode()
    assert "Hold a handover meeting" in page
    assert "0 of 3 done" in page


def test_a_task_not_on_the_checklist_is_refused_with_the_field_named(client, pom_user, my_case):
    client.force_login(pom_user)
    response = client.post(case_url("handover_checklist", my_case), {"done": ["reviewed_oasys"]})
    assert response.status_code == 200
    assert response.context["form"].errors["done"]
    assert not HandoverChecklist.objects.exists()


def test_a_pom_not_on_the_case_may_read_but_not_tick_the_checklist(client, staff_user_factory, prison, my_case):
    client.force_login(staff_user_factory(roles=["pom"], prisons=[prison]))
    target = case_url("handover_checklist", my_case)
    assert client.get(target).status_code == 200
    assert client.post(target, {"done": ["contacted_com"]}).status_code == 403


def test_a_case_with_no_handover_has_no_checklist(client, homd_user, prison):
    prisoner = make_case(prison=prison, days=None, responsibility=COMMUNITY, handover_type="none")
    client.force_login(homd_user)
    response = client.get(case_url("handover_checklist", prisoner))
    assert "has no handover checklist" in response.content.decode()
    assert client.post(case_url("handover_checklist", prisoner), {"done": []}).status_code == 403


@pytest.mark.parametrize("roles", [["pom"], ["homs"], ["case_admin"]])
def test_only_the_homd_overrides(client, staff_user_factory, prison, my_case, roles):
    client.force_login(staff_user_factory(roles=roles, prisons=[prison]))
    assert client.get(case_url("handover_override_create", my_case)).status_code == 403
    assert client.post(case_url("handover_override_remove", my_case), {"removal_reason": "x"}).status_code == 403


def test_override_errors_name_the_field(client, homd_user, my_case):
    client.force_login(homd_user)
    target = case_url("handover_override_create", my_case)
    empty = client.post(target, {})
    assert "reason" in empty.context["form"].errors
    assert 'href="#id_reason_0"' in empty.content.decode()
    other = client.post(target, {"reason": "other", "reason_text": "  "})
    assert other.context["form"].errors["reason_text"] == ["Give the reason responsibility moves to the COM"]
    assert other.content.decode().count("Error:") >= 1
    assert not ResponsibilityOverride.objects.exists()


def test_the_homd_overrides_then_removes_and_the_case_is_shown_accordingly(client, homd_user, my_case):
    client.force_login(homd_user)
    response = client.post(case_url("handover_override_create", my_case), {"reason": "recalled", "reason_text": ""})
    assert response.status_code == 302
    override = ResponsibilityOverride.objects.get()
    assert (override.reason, override.created_by) == ("recalled", homd_user)
    page = client.get(case_url("prisoner_detail", my_case)).content.decode()
    assert "Overridden to COM" in page
    assert "Prisoner has been recalled" in page
    # A second override is not offered while one is active.
    assert "already overridden" in client.get(case_url("handover_override_create", my_case)).content.decode()

    assert "removal_reason" in client.post(case_url("handover_override_remove", my_case), {}).context["form"].errors
    response = client.post(case_url("handover_override_remove", my_case), {"removal_reason": "Decision reversed"})
    assert response.status_code == 302
    override.refresh_from_db()
    assert (override.removal_reason, override.removed_by) == ("Decision reversed", homd_user)
    page = client.get(case_url("prisoner_detail", my_case)).content.decode()
    assert "Overridden to COM" not in page
    assert "POM responsible" in page


def test_the_removal_page_says_when_there_is_nothing_to_remove(client, homd_user, my_case):
    client.force_login(homd_user)
    response = client.get(case_url("handover_override_remove", my_case))
    assert response.status_code == 200
    assert "is not overridden" in response.content.decode()


def test_another_prisons_case_pages_are_404(client, homd_user, other_prison):
    prisoner = make_case(prison=other_prison, days=10, responsibility=CUSTODY_ONLY)
    client.force_login(homd_user)
    for name in ("handover_checklist", "handover_override_create", "handover_override_remove"):
        assert client.get(case_url(name, prisoner)).status_code == 404
        assert client.post(case_url(name, prisoner), {"reason": "recalled"}).status_code == 404
    assert not ResponsibilityOverride.objects.exists()


def test_a_pom_opts_out_of_a_reminder_email(client, pom_user, homd_user):
    target = reverse("handover_email_preferences")
    client.force_login(pom_user)
    page = client.get(target)
    assert page.context["form"].initial == {
        "upcoming_handover": True,
        "handover_date": True,
        "com_allocation_overdue": True,
    }
    response = client.post(target, {"upcoming_handover": "on", "com_allocation_overdue": "on"})
    assert response.status_code == 302
    preference = HandoverEmailPreference.objects.get(user=pom_user)
    assert (preference.upcoming_handover, preference.handover_date, preference.com_allocation_overdue) == (
        True,
        False,
        True,
    )
    assert AuditEvent.objects.get(action="handover_email_preferences_updated").after == {"handover_date": False}
    client.force_login(homd_user)
    assert client.get(target).status_code == 403


@pytest.mark.parametrize(
    ("days", "responsibility", "has_com", "done", "expected"),
    [
        (30, CUSTODY_ONLY, False, 0, "make sure the delivery unit allocates a COM before"),
        (30, CUSTODY_ONLY, True, 1, "Finish the handover checklist: 1 of 2 tasks done."),
        (90, CUSTODY_ONLY, False, 0, ""),
        (-1, COMMUNITY, False, 0, "The COM is responsible but none is allocated"),
        (-3, COMMUNITY, False, 0, "COM allocation is overdue: the handover date passed 3 days ago."),
        (-3, COMMUNITY, True, 2, ""),
    ],
)
def test_the_panel_names_the_next_step(prison, days, responsibility, has_com, done, expected):
    from handover.panel import next_step
    from handover.selectors import handover_panel_for_prisoner
    from tests.factories.handover import HandoverChecklistFactory

    prisoner = make_case(prison=prison, days=days, responsibility=responsibility, com=has_com)
    if done:
        HandoverChecklistFactory(prisoner=prisoner, contacted_com=True, sent_handover_report=done == 2)
    panel = handover_panel_for_prisoner(prisoner=prisoner, today=TODAY)
    step = next_step(panel=panel, has_com=has_com, today=TODAY)
    assert (expected in step) if expected else step == ""
