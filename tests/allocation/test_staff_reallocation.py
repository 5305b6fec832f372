"""Editing a POM, adding one, and bulk reallocation: field-named errors, audit, all-or-nothing moves, emails."""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from allocation import services as allocation_services
from cases.models import AuditEvent, PomAllocation, PomProfile, SentEmail
from tests.allocation import test_staff_support as support

pytestmark = pytest.mark.django_db
staff_estate = support.staff_estate


def _url(name, prison, **kwargs):
    return reverse(name, kwargs={"prison_code": prison.code, **kwargs})


def _active_primary_poms(prisoners):
    return {
        a.prisoner_id: a.pom_id
        for a in PomAllocation.objects.filter(prisoner__in=prisoners, role="primary", ended_at__isnull=True)
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the working pattern, from 0.1 to 1.0 FTE"),
        ("0", "Working pattern must be 0.1 FTE or more"),
        ("1.1", "Working pattern must be 1.0 FTE or less (1.0 is full time)"),
        ("2", "Working pattern must be 1.0 FTE or less (1.0 is full time)"),
        ("0.55", "Enter the working pattern to one decimal place, like 0.5"),
        ("half", "Enter the working pattern as a number, like 0.5"),
    ],
)
def test_a_bad_working_pattern_is_refused_with_a_field_named_error(client, prison, staff_estate, value, message):
    client.force_login(staff_estate["homd"])
    bob = staff_estate["bob"]
    response = client.post(_url("pom_edit", prison, pom_id=bob.pk), {"working_pattern": value, "status": "active"})
    assert response.status_code == 200
    assert response.context["form"].errors["working_pattern"] == [message]
    page = response.content.decode()
    assert 'href="#id_working_pattern"' in page
    assert "govuk-error-summary" in page
    bob.refresh_from_db()
    assert bob.working_pattern == Decimal("1.0")


def test_editing_a_pom_saves_and_audits_the_change(client, prison, staff_estate):
    client.force_login(staff_estate["homd"])
    bob = staff_estate["bob"]
    response = client.post(_url("pom_edit", prison, pom_id=bob.pk), {"working_pattern": "0.6", "status": "unavailable"})
    assert response.status_code == 302
    assert response.url == _url("pom_detail", prison, pom_id=bob.pk)
    bob.refresh_from_db()
    assert (bob.working_pattern, bob.status) == (Decimal("0.6"), "unavailable")
    event = AuditEvent.objects.get(action="pom_profile_updated", object_id=str(bob.pk))
    assert event.before == {"working_pattern": "1.0", "status": "active"}
    assert event.after == {"working_pattern": "0.6", "status": "unavailable"}
    assert event.actor == staff_estate["homd"]


def test_setting_a_pom_with_cases_away_goes_on_to_bulk_reallocation(client, prison, staff_estate):
    client.force_login(staff_estate["homd"])
    ann = staff_estate["ann"]
    response = client.post(_url("pom_edit", prison, pom_id=ann.pk), {"working_pattern": "1.0", "status": "away"})
    assert response.status_code == 302
    assert response.url == _url("pom_reallocate", prison, pom_id=ann.pk)


def test_adding_a_member_of_staff_as_a_pom(client, prison, other_prison, staff_estate, staff_user_factory):
    newcomer = staff_user_factory(roles=["key_worker"], prisons=[prison], username="newcomer")
    staff_user_factory(roles=["pom"], prisons=[other_prison], username="elsewhere")
    client.force_login(staff_estate["homd"])
    choices = dict(client.get(_url("pom_add", prison)).context["form"].fields["user"].choices)
    assert str(newcomer.pk) in choices
    assert str(staff_estate["ann"].user.pk) not in choices  # already a POM here
    response = client.post(
        _url("pom_add", prison), {"user": str(newcomer.pk), "pom_type": "probation", "working_pattern": "0.8"}
    )
    pom = PomProfile.objects.get(user=newcomer, prison=prison)
    assert response.status_code == 302
    assert response.url == _url("pom_detail", prison, pom_id=pom.pk)
    assert (pom.pom_type, pom.working_pattern, pom.status) == ("probation", Decimal("0.8"), "active")
    assert newcomer.groups.filter(name="pom").exists()
    assert AuditEvent.objects.filter(action="pom_profile_created", object_id=str(pom.pk)).exists()


def test_adding_a_pom_names_each_missing_field(client, prison, staff_estate):
    client.force_login(staff_estate["homd"])
    response = client.post(_url("pom_add", prison), {"working_pattern": "3"})
    errors = response.context["form"].errors
    assert set(errors) == {"user", "pom_type", "working_pattern"}
    assert PomProfile.objects.count() == 3


def _start(client, prison, source, target, cases, **override):
    url = _url("pom_reallocate", prison, pom_id=source.pk)
    data = {"target": str(target.pk), "cases": [c.prison_number for c in cases], **override}
    return client.post(url, data)


def test_bulk_reallocation_moves_the_selected_cases_with_an_override_and_emails_both(
    client, prison, staff_estate, django_capture_on_commit_callbacks
):
    ann, cat = staff_estate["ann"], staff_estate["cat"]
    c1, c2 = staff_estate["cases"]
    client.force_login(staff_estate["homd"])
    # Step 1: the target list compares workloads; Ann herself is not offered.
    targets = client.get(_url("pom_reallocate", prison, pom_id=ann.pk)).context["targets"]
    assert ann.pk not in {t.pom.pk for t in targets}
    assert cat.pk in {t.pom.pk for t in targets}
    # Step 2: tier C cases recommend a prison POM; Cat is a probation POM, so a reason is needed.
    response = _start(client, prison, ann, cat, [c1, c2])
    assert response.status_code == 200
    assert "override_reason" in response.context["form"].errors
    response = _start(client, prison, ann, cat, [c1, c2], override_reason="other")
    assert response.context["form"].errors["override_detail"] == ["Give details of why you chose this type of POM"]
    response = _start(client, prison, ann, cat, [c1, c2], override_reason="other", override_detail="Ann's team")
    assert response.status_code == 302
    assert response.url == _url("pom_reallocate_check", prison, pom_id=ann.pk)
    # Step 3: the summary, then confirm.
    check = client.get(response.url)
    assert {c.prisoner.pk for c in check.context["cases"]} == {c1.pk, c2.pk}
    assert "Other reason: Ann&#x27;s team" in check.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response.url)
    assert done.status_code == 302
    assert _active_primary_poms([c1, c2]) == {c1.pk: cat.pk, c2.pk: cat.pk}
    moved = PomAllocation.objects.filter(pom=cat, prisoner__in=[c1, c2], ended_at__isnull=True)
    assert {(a.override_reason, a.override_detail) for a in moved} == {("other", "Ann's team")}
    ended = PomAllocation.objects.filter(pom=ann, prisoner__in=[c1, c2])
    assert {a.end_trigger for a in ended} == {"reallocated"}
    summaries = SentEmail.objects.filter(kind__startswith="bulk_reallocation")
    assert {(e.kind, e.to) for e in summaries} == {
        ("bulk_reallocation_received", cat.user.email),
        ("bulk_reallocation_moved_away", ann.user.email),
    }
    assert all(c1.prison_number in e.body and c2.prison_number in e.body for e in summaries)
    assert AuditEvent.objects.filter(action="pom_cases_bulk_reallocated").count() == 1


def test_no_reason_is_needed_when_the_type_matches(client, prison, staff_estate):
    ann, bob = staff_estate["ann"], staff_estate["bob"]
    client.force_login(staff_estate["homd"])
    response = _start(client, prison, ann, bob, staff_estate["cases"][:1])
    assert response.status_code == 302
    client.post(response.url)
    assert _active_primary_poms(staff_estate["cases"]) == {
        staff_estate["cases"][0].pk: bob.pk,
        staff_estate["cases"][1].pk: ann.pk,
    }


def test_selecting_no_case_names_the_field(client, prison, staff_estate):
    client.force_login(staff_estate["homd"])
    response = _start(client, prison, staff_estate["ann"], staff_estate["bob"], [])
    assert response.context["form"].errors["cases"] == ["Select at least one case to reallocate"]
    assert 'href="#id_cases_0"' in response.content.decode()


def test_select_all_ticks_every_case(client, prison, staff_estate):
    client.force_login(staff_estate["homd"])
    ann, bob = staff_estate["ann"], staff_estate["bob"]
    response = client.get(_url("pom_reallocate", prison, pom_id=ann.pk) + f"?target={bob.pk}&select=all")
    assert response.context["chosen"] == {c.prison_number for c in staff_estate["cases"]}


def test_a_failure_mid_way_leaves_nothing_half_moved(client, prison, staff_estate):
    ann, bob = staff_estate["ann"], staff_estate["bob"]
    c1, c2 = staff_estate["cases"]
    client.force_login(staff_estate["homd"])
    response = _start(client, prison, ann, bob, [c1, c2])
    real_allocate = allocation_services.allocate
    calls = []

    def allocate_then_fail(*args, **kwargs):
        calls.append(args[0].pk)
        if len(calls) == 2:
            raise allocation_services.AllocationConflict("Someone else allocated this case")
        return real_allocate(*args, **kwargs)

    with mock.patch("allocation.staff_services.allocate", side_effect=allocate_then_fail):
        page = client.post(response.url)
    assert page.status_code == 200
    assert len(calls) == 2
    assert "Someone else allocated this case" in page.context["error"]
    assert _active_primary_poms([c1, c2]) == {c1.pk: ann.pk, c2.pk: ann.pk}
    assert not PomAllocation.objects.filter(pom=bob).exists()
    assert not SentEmail.objects.filter(kind__startswith="bulk_reallocation").exists()


def test_a_case_already_moved_by_someone_else_stops_the_whole_move(client, prison, staff_estate):
    ann, bob, cat = staff_estate["ann"], staff_estate["bob"], staff_estate["cat"]
    c1, c2 = staff_estate["cases"]
    client.force_login(staff_estate["homd"])
    response = _start(client, prison, ann, bob, [c1, c2])
    # Meanwhile another HOMD moves the second case to Cat.
    allocation_services.allocate(c2, cat, actor=None, today=None, override_reason="no_staff", override_detail="")
    page = client.post(response.url)
    assert page.status_code == 200
    assert _active_primary_poms([c1, c2]) == {c1.pk: ann.pk, c2.pk: cat.pk}


def test_the_target_who_co_works_a_case_is_refused_naming_the_case(client, prison, staff_estate):
    ann, cat = staff_estate["ann"], staff_estate["cat"]
    b1 = staff_estate["b1"]  # Cat's primary case, co-worked by Ann
    client.force_login(staff_estate["homd"])
    response = _start(client, prison, cat, ann, [b1], override_reason="no_staff")
    page = client.post(response.url)
    assert page.status_code == 200
    assert b1.prison_number in page.context["error"]
    assert _active_primary_poms([b1]) == {b1.pk: cat.pk}


def test_bulk_reallocation_sends_only_the_two_summaries_not_one_email_per_case(
    prison, staff_estate, django_capture_on_commit_callbacks, mailoutbox
):
    from django.utils import timezone

    from allocation.staff_services import bulk_reallocate

    ann, bob = staff_estate["ann"], staff_estate["bob"]
    c1, c2 = staff_estate["cases"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moved = bulk_reallocate(
            source=ann,
            target=bob,
            prison_numbers=[c1.pk, c2.pk],
            actor=staff_estate["homd"],
            today=timezone.localdate(),
        )
    assert len(moved) == 2
    assert len(callbacks) == 2
    assert sorted(e.to[0] for e in mailoutbox) == sorted([ann.user.email, bob.user.email])
    assert set(SentEmail.objects.values_list("kind", flat=True)) == {
        "bulk_reallocation_received",
        "bulk_reallocation_moved_away",
    }


def test_allocate_without_notify_queues_no_email(prison, staff_estate, django_capture_on_commit_callbacks):
    from django.utils import timezone

    c1 = staff_estate["cases"][0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        allocation_services.allocate(
            c1, staff_estate["bob"], actor=staff_estate["homd"], today=timezone.localdate(), notify=False
        )
    assert callbacks == []
    assert not SentEmail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        allocation_services.allocate(c1, staff_estate["ann"], actor=staff_estate["homd"], today=timezone.localdate())
    assert len(callbacks) == 2  # the new POM, and the POM who lost the case
