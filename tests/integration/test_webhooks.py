"""Outbound webhooks: signatures, the outbox (a delivery row in the same transaction as the change), sending to a
real receiver on localhost, retries with backoff, and query counts that do not grow with the changes."""

import datetime as dt
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from allocation.services import end_allocations_for
from cases.models import PomAllocation
from handover.models import CalculatedHandover
from handover.services.recalculation import recalculate
from handover.services.sweep import sweep
from integration.calculations import backoff_seconds, signature_header, signature_valid
from integration.models import DeliveryStatus, WebhookDelivery, WebhookEventType
from integration.webhook_services import (
    deliveries_requeue_due,
    delivery_retry,
    delivery_send,
    subscription_create,
    subscription_deactivate,
)
from tests.factories import PrisonFactory
from tests.factories.allocation import PomAllocationFactory
from tests.factories.casework import EarlyAllocationFactory
from tests.factories.handover import handover_case

HANDOVER = WebhookEventType.HANDOVER_CHANGED
ALLOCATION = WebhookEventType.ALLOCATION_CHANGED


# --- Pure: signatures and backoff ---------------------------------------------------------------------------------


def test_a_signature_verifies_only_for_the_same_secret_body_and_a_recent_time():
    body = b'{"eventType":"handover.changed"}'
    header = signature_header(secret="s3cret", timestamp=1_700_000_000, body=body)
    assert header.startswith("t=1700000000,v1=")
    assert signature_valid(secret="s3cret", header=header, body=body, now=1_700_000_100)
    assert not signature_valid(secret="other", header=header, body=body, now=1_700_000_100)
    assert not signature_valid(secret="s3cret", header=header, body=body + b" ", now=1_700_000_100)
    assert not signature_valid(secret="s3cret", header=header, body=body, now=1_700_000_000 + 301)
    assert not signature_valid(secret="s3cret", header="garbage", body=body, now=1_700_000_000)


@pytest.mark.parametrize(("attempts", "wait"), [(0, 0), (1, 30), (2, 120), (3, 480), (9, 6 * 60 * 60)])
def test_the_wait_grows_fourfold_and_is_capped(attempts, wait):
    assert backoff_seconds(attempts, base=30) == wait


# --- The outbox ---------------------------------------------------------------------------------------------------


@pytest.fixture
def leeds(db):
    return PrisonFactory(code="LEI", name="HMP Leeds")


def subscribe(url="https://receiver.example/hook", types=(HANDOVER, ALLOCATION), prisons=()):
    return subscription_create(
        name="Receiver", url=url, event_types=list(types), prisons=list(prisons), actor_label="tests"
    )


@pytest.mark.django_db
def test_a_handover_date_change_writes_a_delivery_in_the_same_transaction(leeds):
    subscription = subscribe()
    prisoner = handover_case(prison=leeds, release_in=relativedelta(months=30), today=timezone.localdate())
    recalculate(prisoner.pk, today=timezone.localdate(), trigger="test")
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.event_type == HANDOVER
    assert delivery.status == DeliveryStatus.PENDING
    info = delivery.payload["additionalInformation"]
    stored = CalculatedHandover.objects.get(pk=prisoner.pk)
    assert info["prisonId"] == "LEI"
    assert info["handoverDate"] is not None
    assert delivery.payload["personReference"]["identifiers"] == [{"type": "NOMS", "value": prisoner.pk}]
    assert stored.handover_date.isoformat() == info["handoverDate"]
    # Recalculating again changes nothing: no second delivery.
    recalculate(prisoner.pk, today=timezone.localdate(), trigger="test")
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_delivery(leeds):
    subscribe()
    prisoner = handover_case(prison=leeds, release_in=relativedelta(months=30))
    seen = []

    def change_then_fail():
        with transaction.atomic():
            recalculate(prisoner.pk, today=timezone.localdate(), trigger="test")
            seen.append(WebhookDelivery.objects.count())
            raise RuntimeError("the change is rolled back")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert seen == [1]
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.django_db
def test_a_primary_pom_allocated_and_ended_each_announce_allocation_changed(leeds):
    subscribe(types=[ALLOCATION])
    allocation = PomAllocationFactory(prisoner=handover_case(prison=leeds))
    PomAllocationFactory(prisoner=allocation.prisoner, role=PomAllocation.Role.CO_WORKING)  # not the primary POM
    end_allocations_for(allocation.prisoner, PomAllocation.EndTrigger.RELEASE, actor_label="tests")
    changes = [d.payload["additionalInformation"]["change"] for d in WebhookDelivery.objects.order_by("id")]
    assert changes == ["allocated", "ended"]


@pytest.mark.django_db
def test_an_early_allocation_status_change_is_announced(leeds):
    subscribe(types=[WebhookEventType.EARLY_ALLOCATION_STATUS_CHANGED])
    assessment = EarlyAllocationFactory(prisoner=handover_case(prison=leeds))
    assessment.community_decision, assessment.community_decision_date = True, dt.date(2026, 11, 1)
    assessment.save()
    assessment.save()  # nothing watched changed: no delivery
    outcomes = [d.payload["additionalInformation"] for d in WebhookDelivery.objects.order_by("id")]
    assert [o["communityDecision"] for o in outcomes] == [None, True]


@pytest.mark.django_db
def test_a_subscription_gets_only_its_prisons_and_types_and_stops_when_deactivated(leeds):
    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    leeds_only = subscribe(types=[HANDOVER], prisons=["LEI"])
    for prison in (leeds, moorland):
        recalculate(
            handover_case(prison=prison, release_in=relativedelta(months=30)).pk,
            today=timezone.localdate(),
            trigger="t",
        )
    assert list(WebhookDelivery.objects.values_list("payload__additionalInformation__prisonId", flat=True)) == ["LEI"]
    subscription_deactivate(subscription=leeds_only, actor_label="tests")
    recalculate(
        handover_case(prison=leeds, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_with_no_subscription_a_change_costs_no_query(leeds, django_assert_num_queries):
    from integration.signals import on_handover_changed

    subscribe(types=[ALLOCATION])  # wants another type
    on_handover_changed(sender=None, changes=[{"prison_number": "A1234BC"}])  # the subscriptions are now cached
    with django_assert_num_queries(0):
        on_handover_changed(
            sender=None,
            changes=[
                {"prison_number": "A1234BC", "handover_start_date": None, "handover_date": None, "responsibility": ""}
            ],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("cases", [2, 8])
def test_the_sweep_writes_its_deliveries_in_constant_queries(leeds, cases, django_assert_num_queries):
    subscribe(types=[HANDOVER])
    for _ in range(cases):
        handover_case(prison=leeds, release_in=relativedelta(months=30))
    # the subscriptions are cached already; one read of prison codes and one INSERT for the whole chunk
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        sweep(today=timezone.localdate())
    inserts = [q for q in captured.captured_queries if "integration_webhookdelivery" in q["sql"]]
    assert len(inserts) == 1
    assert WebhookDelivery.objects.count() == cases


# --- Sending ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_delivery_is_sent_signed_and_marked_delivered(leeds, receiver):
    subscription = subscribe(url=receiver.url, types=[HANDOVER])
    recalculate(
        handover_case(prison=leeds, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )
    delivery = WebhookDelivery.objects.get()

    assert delivery_send(delivery_pk=delivery.pk) == "delivered"

    (got,) = receiver.received
    body = got["body"]
    assert json.loads(body)["deliveryId"] == str(delivery.delivery_id)
    assert got["headers"]["x-omic-event"] == HANDOVER
    header = got["headers"]["x-omic-signature"]
    assert signature_valid(secret=subscription.secret, header=header, body=body, now=int(timezone.now().timestamp()))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 1, 204)
    assert delivery_send(delivery_pk=delivery.pk) == "skipped"  # delivered once; a duplicate job does nothing


@pytest.mark.django_db
def test_a_refused_delivery_is_retried_with_backoff_then_failed_and_can_be_retried(leeds, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver.answer = 500
    subscribe(url=receiver.url, types=[HANDOVER])
    recalculate(
        handover_case(prison=leeds, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()

    assert delivery_send(delivery_pk=delivery.pk, now=now) == "retry"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=30)
    assert (delivery.last_status_code, delivery.last_error) == (500, "The receiver answered 500")
    assert delivery_send(delivery_pk=delivery.pk, now=now) == "skipped"  # not due yet
    assert delivery_send(delivery_pk=delivery.pk, now=delivery.next_attempt_at) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED

    receiver.answer = 200
    delivery_retry(delivery=delivery, actor_label="tests")
    assert delivery_send(delivery_pk=delivery.pk) == "delivered"
    assert len(receiver.received) == 3


@pytest.mark.django_db
def test_an_unreachable_receiver_counts_an_attempt_with_only_a_generic_error(leeds, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    subscribe(url="http://127.0.0.1:9/nothing-listens", types=[HANDOVER])
    recalculate(
        handover_case(prison=leeds, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery_send(delivery_pk=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (1, None)
    assert delivery.last_error == "The receiver could not be reached"  # no error text, address or port echoed


@pytest.mark.django_db
def test_overdue_deliveries_are_queued_again(leeds, monkeypatch):
    from integration import webhook_services

    queued = []
    monkeypatch.setattr(webhook_services, "_queue", queued.extend)
    subscribe(types=[HANDOVER])
    recalculate(
        handover_case(prison=leeds, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )
    delivery = WebhookDelivery.objects.get()
    assert deliveries_requeue_due(now=timezone.now()) == 0  # just written: its own job is queued
    assert deliveries_requeue_due(now=timezone.now() + dt.timedelta(minutes=3)) == 1
    assert queued == [delivery.pk]


@pytest.mark.django_db
def test_a_receiver_address_must_be_https_in_production(settings):
    from django.core.exceptions import ValidationError

    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(ValidationError) as refused:
        subscribe(url="http://receiver.example/hook")
    assert "url" in refused.value.message_dict


# --- SSRF: no private, local or internal receivers; no redirects --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://240.0.0.1/hook",
    ],
)
def test_a_receiver_on_a_private_or_local_address_is_refused_when_subscribing(url, settings):
    from django.core.exceptions import ValidationError

    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError) as refused:
        subscribe(url=url)
    assert "url" in refused.value.message_dict


@pytest.mark.django_db
def test_a_public_address_is_accepted(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    assert subscribe(url="https://8.8.8.8/hook").pk


@pytest.mark.django_db
def test_the_address_is_checked_again_when_sending(leeds, receiver, settings):
    subscribe(url=receiver.url, types=[HANDOVER])  # allowed when made (the receiver fixture allows localhost)
    recalculate(
        handover_case(prison=leeds, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # e.g. the name now resolves to an internal address
    delivery = WebhookDelivery.objects.get()
    assert delivery_send(delivery_pk=delivery.pk) == "retry"
    assert receiver.received == []
    delivery.refresh_from_db()
    assert (delivery.last_status_code, delivery.last_error) == (None, "The receiver's address is not allowed")


@pytest.mark.django_db
def test_a_redirect_is_not_followed(leeds, receiver):
    from tests.integration.receiver import Receiver

    with Receiver() as internal:
        receiver.answer, receiver.location = 302, internal.url
        subscribe(url=receiver.url, types=[HANDOVER])
        recalculate(
            handover_case(prison=leeds, release_in=relativedelta(months=30)).pk,
            today=timezone.localdate(),
            trigger="t",
        )
        delivery = WebhookDelivery.objects.get()
        assert delivery_send(delivery_pk=delivery.pk) == "retry"
        assert len(receiver.received) == 1
        assert internal.received == []
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302


@pytest.mark.django_db
def test_an_allocation_ended_by_a_transfer_is_announced_to_the_old_prisons_subscribers(leeds):
    from cases.models import Prisoner
    from tests.factories.cases import PomProfileFactory

    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    old = subscribe(types=[ALLOCATION], prisons=["LEI"])
    new = subscribe(types=[ALLOCATION], prisons=["MDI"])
    prisoner = handover_case(prison=leeds)
    PomAllocationFactory(prisoner=prisoner, pom=PomProfileFactory(prison=leeds))
    Prisoner.objects.filter(pk=prisoner.pk).update(prison=moorland)  # moved first, as a transfer does
    prisoner.refresh_from_db()
    end_allocations_for(prisoner, PomAllocation.EndTrigger.TRANSFER, actor_label="tests")
    infos = [(d.subscription_id, d.payload["additionalInformation"]) for d in WebhookDelivery.objects.order_by("id")]
    sent = [(pk, info["change"], info["prisonId"]) for pk, info in infos]
    assert sent == [(old.pk, "allocated", "LEI"), (old.pk, "ended", "LEI")]
    assert not WebhookDelivery.objects.filter(subscription=new).exists()


@pytest.mark.django_db
def test_a_name_re_pointed_to_an_internal_address_after_subscribing_is_not_connected_to(
    leeds, receiver, settings, monkeypatch
):
    import socket

    real = socket.getaddrinfo
    answers = {"now": "93.184.215.14"}  # a public address when subscribing, then localhost (DNS rebinding)

    def resolver(host, port, *args, **kwargs):
        if host == "rebind.example":
            return real(answers["now"], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    port = receiver.url.split(":")[2].split("/")[0]
    subscribe(url=f"http://rebind.example:{port}/hook", types=[HANDOVER])
    recalculate(
        handover_case(prison=leeds, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )
    answers["now"] = "127.0.0.1"
    delivery = WebhookDelivery.objects.get()
    assert delivery_send(delivery_pk=delivery.pk) == "retry"
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.last_error == "The receiver's address is not allowed"
