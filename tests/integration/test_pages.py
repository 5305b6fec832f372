"""The service admin's integration pages: only service admins, parked events retried from the page, subscriptions
made and stopped, the delivery log; query counts pinned and not growing with the rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from integration.models import EventStatus, InboundEvent, WebhookDelivery, WebhookSubscription
from integration.webhook_services import subscription_create
from tests.factories import PrisonFactory
from tests.factories.cases import PrisonerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user_factory):
    client.force_login(staff_user_factory(roles=["service_admin"], username="admin"))
    return client


def make_events(n, status=EventStatus.PARKED):
    now = timezone.now()
    InboundEvent.objects.bulk_create(
        InboundEvent(
            event_id=f"evt-{status}-{i}",
            event_type="prisoner.released",
            prison_number=f"A{i:04d}AA",
            occurred_at=now,
            received_at=now - dt.timedelta(minutes=i),
            received_from="tests",
            status=status,
            attempts=6,
            last_error="PrisonerNotFound: not known here",
            processed_at=now if status == EventStatus.PROCESSED else None,
        )
        for i in range(n)
    )


def test_only_service_admins_see_the_pages(client, staff_user_factory, prison):
    client.force_login(staff_user_factory(roles=["homd"], prisons=[prison]))
    for name in ("integration_events", "integration_webhooks"):
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse("integration_events")).status_code == 302


@pytest.mark.parametrize("rows", [1, 12])
def test_the_events_page_lists_parked_events_in_constant_queries(admin_client, rows, django_assert_num_queries):
    make_events(rows)
    make_events(3, status=EventStatus.PROCESSED)
    # The same for 1 or 12 rows: the request's savepoints, session (read and save), user, roles, the navigation's
    # prisons, then the count, the page, the counts by status and the merges.
    with django_assert_num_queries(13):
        response = admin_client.get(reverse("integration_events"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows
    processed = admin_client.get(reverse("integration_events"), {"status": "processed"})
    assert processed.context["page"].paginator.count == 3


def test_a_parked_event_is_retried_from_the_page(admin_client, prison, django_capture_on_commit_callbacks):
    PrisonerFactory(prison_number="A0000AA", prison=prison)
    make_events(1)
    event = InboundEvent.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("integration_event_retry", kwargs={"pk": event.pk}))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSED, event.last_error
    assert admin_client.get(reverse("integration_event_retry", kwargs={"pk": event.pk})).status_code == 405


def test_a_subscription_is_made_shown_and_stopped(admin_client):
    PrisonFactory(code="LEI")
    response = admin_client.post(
        reverse("integration_webhooks"),
        {"name": "Delius", "url": "https://delius.example/hook", "event_types": ["handover.changed"], "prisons": "lei"},
    )
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302
    assert subscription.prisons == ["LEI"]
    page = admin_client.get(response["Location"])
    assert subscription.secret in page.content.decode()  # shown once, in the confirmation message
    assert subscription.secret not in admin_client.get(response["Location"]).content.decode()
    admin_client.post(reverse("integration_webhook_stop", kwargs={"pk": subscription.pk}))
    subscription.refresh_from_db()
    assert subscription.active is False


def test_a_bad_subscription_shows_the_errors(admin_client):
    response = admin_client.post(reverse("integration_webhooks"), {"name": "", "url": "ftp://x", "prisons": "LEEDS"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "url", "event_types", "prisons"}
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("rows", [1, 15])
def test_the_delivery_log_in_constant_queries(admin_client, rows, django_assert_num_queries):
    subscription = subscription_create(
        name="Receiver", url="https://receiver.example/hook", event_types=["handover.changed"], prisons=[]
    )
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event_type="handover.changed",
            prison_number=f"A{i:04d}AA",
            payload={},
            status=WebhookDelivery.Status.FAILED,
            next_attempt_at=now,
            created_at=now,
        )
        for i in range(rows)
    )
    url = reverse("integration_webhook", kwargs={"pk": subscription.pk})
    # The same for 1 or 15 rows: the request's savepoints, session (read and save), user, roles, the navigation's
    # prisons, then the subscription, the count and the page.
    with django_assert_num_queries(12):
        response = admin_client.get(url)
    assert response.context["page"].paginator.count == rows
    assert response.content.decode().count("Retry<span") == rows
    assert admin_client.get(reverse("integration_webhook", kwargs={"pk": 999})).status_code == 404
