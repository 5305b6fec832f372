"""Reading a prisoner's full record is audited (record_viewed); the case timeline is built from the audit trail and
shows who, when, what and why, but not the reads."""

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from cases.audit import audit_record
from cases.models import AuditEvent
from tests.factories import PrisonerFactory

pytestmark = pytest.mark.django_db


def _url(name, prisoner, prison_code=None):
    return reverse(name, kwargs={"prison_code": prison_code or prisoner.prison_id, "prison_number": prisoner.pk})


def test_opening_the_profile_records_who_read_it_with_the_request_id(client, homd_user, prison):
    prisoner = PrisonerFactory(prison=prison)
    client.force_login(homd_user)
    response = client.get(_url("prisoner_detail", prisoner), headers={"X-Request-ID": "req-read"})
    assert response.status_code == 200
    (event,) = AuditEvent.objects.filter(action="record_viewed")
    assert (event.actor, event.actor_label, event.prisoner_id, event.prison_number) == (
        homd_user, "homd", prisoner.pk, prisoner.pk)  # fmt: skip
    assert (event.request_id, event.object_type, event.after) == ("req-read", "cases.Prisoner", {"viewed": "profile"})
    client.get(_url("prisoner_detail", prisoner))
    assert AuditEvent.objects.filter(action="record_viewed").count() == 2  # every read


def test_a_refused_read_records_nothing(client, staff_user_factory, prison, other_prison):
    prisoner = PrisonerFactory(prison=prison)
    client.force_login(staff_user_factory(roles=["homd"], prisons=[other_prison]))
    assert client.get(_url("prisoner_detail", prisoner, prison_code=other_prison.code)).status_code == 404
    assert client.get(_url("prisoner_detail", prisoner)).status_code == 404
    assert not AuditEvent.objects.filter(action="record_viewed").exists()


def test_the_timeline_shows_changes_with_who_when_what_and_why_and_not_reads(client, homd_user, prison):
    prisoner = PrisonerFactory(prison=prison)
    client.force_login(homd_user)
    client.get(_url("prisoner_detail", prisoner))  # a read
    audit_record(action="updated", obj=prisoner, before={"cell_location": "A-1"}, after={"cell_location": "B-2"},
                 actor_label="alice.homd", reason="Moved wing after review", prisoner=prisoner)  # fmt: skip
    page = client.get(_url("allocation_timeline", prisoner)).content.decode()
    assert "Updated: Prisoner" in page  # what
    assert "cell_location → B-2" in page
    assert "Reason: Moved wing after review" in page  # why
    assert "alice.homd" in page  # who
    assert "Record_viewed" not in page
    assert "record_viewed" not in page
    event = AuditEvent.objects.get(action="updated")
    assert localtime(event.created_at).strftime("%-d %b %Y %H:%M") in page  # when (Europe/London)


def test_the_profile_timeline_leaves_out_reads(client, homd_user, prison):
    prisoner = PrisonerFactory(prison=prison)
    client.force_login(homd_user)
    for _ in range(3):
        client.get(_url("prisoner_detail", prisoner))
    audit_record(action="updated", obj=prisoner, before=None, after={"religion": "None"}, actor_label="bob",
                 reason="Corrected", prisoner=prisoner)  # fmt: skip
    page = client.get(_url("prisoner_detail", prisoner)).content.decode()
    assert "Reason: Corrected" in page
    assert "Record_viewed" not in page
    assert "Reason: Corrected" in page
