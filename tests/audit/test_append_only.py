"""Audit rows cannot be edited or deleted through the app: the model, its query set, the admin and (PostgreSQL) a
trigger refuse; the retention purge is the one named path that deletes."""

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from cases.audit import audit_record
from cases.models import AuditEvent, Prisoner
from cases.models.audit import AuditEventImmutable
from tests.factories import PrisonerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(prison):
    prisoner = PrisonerFactory(prison=prison)
    return audit_record(action="updated", obj=prisoner, before={"a": 1}, after={"a": 2}, actor_label="test",
                        prisoner=prisoner, reason="why")  # fmt: skip


def test_a_stored_event_cannot_be_saved_again_or_deleted(event):
    event.reason = "rewritten"
    with pytest.raises(AuditEventImmutable):
        event.save()
    with pytest.raises(AuditEventImmutable):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "why"


def test_the_query_set_refuses_update_delete_and_bulk_update(event):
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.bulk_update([event], ["reason"])
    with pytest.raises(AuditEventImmutable):
        event.prisoner.audit_events.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk, reason="why").exists()


def test_purge_is_the_named_path_that_deletes(event):
    assert AuditEvent.objects.filter(pk=event.pk).purge() == 1
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_the_prisoner_or_user_keeps_the_row_and_its_labels(prison):
    user = UserFactory()
    prisoner = PrisonerFactory(prison=prison)
    event = audit_record(action="updated", obj=prisoner, before=None, after={"a": 1}, actor=user, prisoner=prisoner)
    Prisoner.objects.filter(pk=prisoner.pk).delete()
    user.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.prisoner_id, stored.actor_id) == (None, None)
    assert (stored.prison_number, stored.actor_label) == (prisoner.pk, user.username)


def test_the_admin_is_read_only(event, staff_user_factory):
    admin = site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, event)
    assert not admin.has_delete_permission(request, event)


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_unless_purging(event):
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET reason = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s",
                f"UPDATE {table} SET prisoner_id = NULL, reason = 'x' WHERE id = %s"):  # fmt: skip
        with (
            pytest.raises(DatabaseError, match="audit events cannot be"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "why"
    other = audit_record(action="updated", obj=event.prisoner, before=None, after=None, actor_label="test")
    assert AuditEvent.objects.filter(pk=event.pk).purge() == 1  # SET LOCAL omic.audit_purge, then off again
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [other.pk])
    assert AuditEvent.objects.filter(pk=other.pk).exists()


@pytest.mark.postgres
def test_the_database_still_refuses_an_update_while_purging(event):
    table = AuditEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SAVEPOINT before_update")
        cursor.execute("SET LOCAL omic.audit_purge = 'on'")
        with pytest.raises(DatabaseError, match="cannot be changed"):
            cursor.execute(f"UPDATE {table} SET after = NULL WHERE id = %s", [event.pk])
        cursor.execute("ROLLBACK TO SAVEPOINT before_update")
