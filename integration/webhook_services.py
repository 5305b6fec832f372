"""Outbound webhooks: subscriptions, the outbox (deliveries written with the change), sending, retries.

- ``deliveries_enqueue`` is called inside the transaction of the change (from ``integration.signals``): it writes
  one WebhookDelivery per interested subscription, and queues their sending after the commit. A rolled back change
  sends nothing; a committed one always has its delivery rows (at least once).
- ``delivery_send`` POSTs the JSON body, signed (``integration.calculations``), outside any transaction. A 2xx
  answer delivers it; anything else (or no answer) counts an attempt and waits longer each time, until the last
  attempt marks it failed. ``deliveries_requeue_due`` (periodic) queues every delivery that is due.
"""

import datetime as dt
import json
import logging
import secrets
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from integration.calculations import SIGNATURE_HEADER, backoff_seconds, signature_header
from integration.models import DeliveryStatus, WebhookDelivery, WebhookEventType, WebhookSubscription
from integration.outbound_http import ReceiverAddressRefused, opener, receiver_host_check

logger = logging.getLogger(__name__)

DELIVERY_HEADER = "X-OMiC-Delivery"
EVENT_HEADER = "X-OMiC-Event"
TIMEOUT_SECONDS = 10
# The periodic job queues only deliveries overdue by this much: a retry's own queued job should have run by then.
REQUEUE_GRACE = dt.timedelta(minutes=2)
SUBSCRIPTION_FIELDS = ("name", "url", "event_types", "prisons", "active")


SUBSCRIPTIONS_CACHE_KEY = "integration:webhook-subscriptions"
SUBSCRIPTIONS_CACHE_SECONDS = 60


def _active_subscriptions() -> list[dict]:
    """The active subscriptions as plain values, cached: a change with no subscriber reads nothing. Cleared when a
    subscription is made or stopped; elsewhere at most SUBSCRIPTIONS_CACHE_SECONDS old (sending checks again)."""
    rows = cache.get(SUBSCRIPTIONS_CACHE_KEY)
    if rows is None:
        rows = list(WebhookSubscription.objects.filter(active=True).values("pk", "event_types", "prisons", "client_id"))
        cache.set(SUBSCRIPTIONS_CACHE_KEY, rows, SUBSCRIPTIONS_CACHE_SECONDS)
    return rows


def subscriptions_wanting(event_type: str) -> list[dict]:
    return [row for row in _active_subscriptions() if event_type in row["event_types"]]


MANAGE_WEBHOOKS_SCOPE = "manage_webhooks"  # api.scopes.MANAGE_WEBHOOKS (api is read through the app registry)


def client_rights(client_ids) -> dict[str, frozenset[str] | None]:
    """{client id: the prisons it may receive events for now (None: every prison)} for the clients that are active
    and still hold "manage webhooks"; a client missing from the answer may receive nothing. One query, reading
    the client's CURRENT prisons (never a copy made with the subscription)."""
    client_ids = {c for c in client_ids if c}
    if not client_ids:
        return {}
    from django.apps import apps

    api_client = apps.get_model("api", "ApiClient")
    rows = api_client.objects.filter(client_id__in=client_ids, is_active=True).values_list(
        "client_id", "scopes", "prisons__code"
    )
    rights: dict[str, set[str]] = {}
    for client_id, scopes, prison_code in rows:
        if MANAGE_WEBHOOKS_SCOPE not in (scopes or []):
            continue
        codes = rights.setdefault(client_id, set())
        if prison_code:
            codes.add(prison_code)
    return {client_id: (frozenset(codes) or None) for client_id, codes in rights.items()}


def _client_may_receive(rights: dict, client_id: str, prison_code: str) -> bool:
    """Staff-made subscriptions (no client) are not limited; a client's only while it holds the rights."""
    if not client_id:
        return True
    if client_id not in rights:
        return False
    prisons = rights[client_id]
    return prisons is None or prison_code in prisons


def _subscriptions_changed() -> None:
    transaction.on_commit(lambda: cache.delete(SUBSCRIPTIONS_CACHE_KEY))
    cache.delete(SUBSCRIPTIONS_CACHE_KEY)


def max_attempts() -> int:
    return getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8)


def retry_base_seconds() -> int:
    return getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30)


UNREACHABLE_ERROR = "The receiver could not be reached"
REFUSED_ERROR = "The receiver's address is not allowed"
NOT_ALLOWED_ERROR = "The subscription's client may no longer receive this event"


def _check(values: dict) -> None:
    errors = {}
    url = values.get("url", "")
    # http:// only outside production (a receiver on localhost while developing); WEBHOOK_ALLOW_HTTP overrides.
    allow_http = getattr(settings, "WEBHOOK_ALLOW_HTTP", not getattr(settings, "PRODUCTION", False))
    if not url.startswith("https://") and not (allow_http and url.startswith("http://")):
        errors["url"] = "Enter an https:// address for the receiver"
    else:
        # A name that does not resolve yet is accepted: every send resolves and checks again.
        try:
            receiver_host_check(url)
        except (ReceiverAddressRefused, ValueError):
            errors["url"] = "Enter the address of a receiver on the internet, not a private or local address"
    types = values.get("event_types") or []
    unknown = [t for t in types if t not in WebhookEventType.values]
    if not types or unknown:
        errors["event_types"] = f"Choose one or more of: {', '.join(WebhookEventType.values)}"
    if not (values.get("name") or "").strip():
        errors["name"] = "Enter a name for the subscription"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def subscription_create(
    *, name: str, url: str, event_types: list[str], prisons: list[str], client_id: str = "", actor=None, actor_label=""
) -> WebhookSubscription:
    """Make a subscription with a new random signing secret (returned on the object: show it once)."""
    values = {
        "name": name.strip(),
        "url": url,
        "event_types": sorted(set(event_types)),
        "prisons": sorted(set(prisons)),
    }
    _check(values)
    subscription = WebhookSubscription.objects.create(
        **values,
        secret=secrets.token_urlsafe(32),
        client_id=client_id,
        created_at=timezone.now(),
        created_by=actor_label or (actor.get_username() if actor is not None else "system"),
    )
    audit_record(
        action="webhook_subscription_created",
        obj=subscription,
        before=None,
        after=values,
        actor=actor,
        actor_label=actor_label,
    )
    _subscriptions_changed()
    return subscription


@transaction.atomic
def subscription_deactivate(*, subscription: WebhookSubscription, actor=None, actor_label="") -> WebhookSubscription:
    """Stop sending to a subscription (kept with its delivery log). Pending deliveries are not sent."""
    if subscription.active:
        subscription.active = False
        subscription.save(update_fields=["active"])
        audit_record(
            action="webhook_subscription_deactivated",
            obj=subscription,
            before={"active": True},
            after={"active": False},
            actor=actor,
            actor_label=actor_label,
        )
        _subscriptions_changed()
    return subscription


def _body(*, event_type: str, prison_number: str, prison_code: str, details: dict, now: dt.datetime, delivery_id):
    return {
        "eventType": event_type,
        "version": 1,
        "deliveryId": str(delivery_id),
        "occurredAt": now.isoformat(),
        "description": WebhookEventType(event_type).label,
        "personReference": {"identifiers": [{"type": "NOMS", "value": prison_number}]},
        "additionalInformation": {"prisonId": prison_code, **details},
    }


def _queue(delivery_pks: list[int]) -> None:
    from integration.tasks import webhook_deliver
    from omic.queueing import enqueue

    for pk in delivery_pks:  # the stored delivery is the outbox: integration_requeue queues it again
        if not enqueue(webhook_deliver, (pk,), catch_up=False):
            break  # the broker is down: no point trying the others now


def deliveries_enqueue(*, event_type: str, items: list[tuple[str, str, dict]], now: dt.datetime | None = None) -> int:
    """Write the deliveries of ``event_type`` for ``items`` ((prison number, prison code, details) each) to every
    active subscription that wants them, inside the caller's transaction; queue their sending after the commit.
    One INSERT however many items; no query when no subscription wants the type."""
    subscriptions = subscriptions_wanting(event_type)
    if not subscriptions or not items:
        return 0
    now = now or timezone.now()
    rights = client_rights(row["client_id"] for row in subscriptions)
    rows = []
    for subscription in subscriptions:
        for prison_number, prison_code, details in items:
            if subscription["prisons"] and prison_code not in subscription["prisons"]:
                continue
            if not _client_may_receive(rights, subscription["client_id"], prison_code):
                continue
            delivery_id = uuid.uuid4()
            body = _body(
                event_type=event_type,
                prison_number=prison_number,
                prison_code=prison_code,
                details=details,
                now=now,
                delivery_id=delivery_id,
            )
            rows.append(
                WebhookDelivery(
                    delivery_id=delivery_id,
                    subscription_id=subscription["pk"],
                    event_type=event_type,
                    prison_number=prison_number,
                    payload=body,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    created = WebhookDelivery.objects.bulk_create(rows)
    pks = [row.pk for row in created]
    transaction.on_commit(lambda: _queue(pks), robust=True)
    return len(pks)


def _post(url: str, body: bytes, headers: dict) -> int:
    """POST; the receiver's address is checked again at every send, on the very connection that is made."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (https, or http in dev)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def delivery_send(*, delivery_pk: int, now: dt.datetime | None = None) -> str:
    """Send one pending delivery now; "delivered", "retry", "failed" or "skipped" (not pending, not due, inactive)."""
    now = now or timezone.now()
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_pk).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING or delivery.next_attempt_at > now:
        return "skipped"
    subscription = delivery.subscription
    if not subscription.active:
        return "skipped"
    prison_code = (delivery.payload.get("additionalInformation") or {}).get("prisonId", "")
    if subscription.client_id and not _client_may_receive(
        client_rights([subscription.client_id]), subscription.client_id, prison_code
    ):
        # The client lost its rights (deactivated, scope or prison taken away) since the delivery was written.
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, last_attempt_at=now, last_error=NOT_ALLOWED_ERROR
        )
        return "failed"
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "omic-case-manager-webhooks/1",
        EVENT_HEADER: delivery.event_type,
        DELIVERY_HEADER: str(delivery.delivery_id),
        SIGNATURE_HEADER: signature_header(secret=subscription.secret, timestamp=int(now.timestamp()), body=body),
    }
    status, error = None, ""
    try:
        status = _post(subscription.url, body, headers)
    except ReceiverAddressRefused:
        error = REFUSED_ERROR
    except Exception as exc:  # network errors, timeouts, refused connections: all count as a failed attempt
        # Only a generic text is kept (the delivery log is shown to the subscriber): the details go to the log.
        logger.warning("Webhook delivery %s not sent: %s: %s", delivery.pk, type(exc).__name__, exc)
        error = UNREACHABLE_ERROR
    attempts = delivery.attempts + 1
    values = {"attempts": attempts, "last_attempt_at": now, "last_status_code": status}
    if status is not None and 200 <= status < 300:
        values.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now(), last_error="")
        outcome = "delivered"
    else:
        values["last_error"] = error or f"The receiver answered {status}"
        if attempts >= max_attempts():
            values["status"], outcome = DeliveryStatus.FAILED, "failed"
        else:
            values["next_attempt_at"] = now + dt.timedelta(seconds=backoff_seconds(attempts, base=retry_base_seconds()))
            outcome = "retry"
    # Only if nobody else finished it meanwhile (two workers sending the same delivery: at least once).
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(**values)
    return outcome


@transaction.atomic
def delivery_retry(*, delivery: WebhookDelivery, actor=None, actor_label: str = "") -> WebhookDelivery:
    """Send a failed delivery again now, with fresh attempts (the subscriber's admin or a service admin)."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError({"delivery": "Only a failed delivery can be retried"})
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        action="webhook_delivery_retried",
        obj=delivery,
        before={"status": DeliveryStatus.FAILED},
        after={"status": DeliveryStatus.PENDING},
        actor=actor,
        actor_label=actor_label,
    )
    transaction.on_commit(lambda: _queue([delivery.pk]), robust=True)
    return delivery


def deliveries_requeue_due(*, now: dt.datetime) -> int:
    """Queue every pending delivery overdue by more than REQUEUE_GRACE (its queued job was lost, or the broker
    runs without delays). A delivery sent twice is the at-least-once promise, never a lost one."""
    pks = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now - REQUEUE_GRACE, subscription__active=True
        ).values_list("pk", flat=True)[:1000]
    )
    _queue(pks)
    return len(pks)
