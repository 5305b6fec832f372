"""Reads of integration: events for the service admin page, and subscriptions and delivery logs for their owners."""

from django.db.models import Count, Q, QuerySet

from integration.models import (
    DeliveryStatus,
    EventStatus,
    InboundEvent,
    PrisonerMerge,
    WebhookDelivery,
    WebhookSubscription,
)

NEEDS_ATTENTION = (EventStatus.FAILED, EventStatus.PARKED)


def event_get(*, event_id: str, client_pk: int) -> InboundEvent | None:
    """The event with this id sent by this API client (ids are unique per client)."""
    return InboundEvent.objects.filter(client_pk=client_pk, event_id=event_id).first()


def event_by_pk(*, pk: int) -> InboundEvent | None:
    return InboundEvent.objects.filter(pk=pk).first()


def delivery_by_pk(*, pk: int) -> WebhookDelivery | None:
    return WebhookDelivery.objects.filter(pk=pk).first()


def event_list(*, status: str = "", search: str = "") -> QuerySet[InboundEvent]:
    """Inbound events, newest first: one status (blank: those needing attention), optionally one prisoner's."""
    events = InboundEvent.objects.all()
    events = events.filter(status=status) if status else events.filter(status__in=NEEDS_ATTENTION)
    if search:
        events = events.filter(Q(prison_number=search.upper()) | Q(event_id=search))
    return events.order_by("-received_at", "-id")


def event_status_counts() -> dict[str, int]:
    """{status: count} over every stored event, one query."""
    rows = InboundEvent.objects.values("status").annotate(n=Count("id")).order_by()
    counts = {status: 0 for status in EventStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def merge_list(*, limit: int = 50) -> list[PrisonerMerge]:
    return list(PrisonerMerge.objects.order_by("-recorded_at", "-id")[:limit])


def subscription_list(*, client_id: str | None = None) -> QuerySet[WebhookSubscription]:
    """Subscriptions (one client's when ``client_id`` is given), with their pending and failed delivery counts."""
    subscriptions = WebhookSubscription.objects.all()
    if client_id is not None:
        subscriptions = subscriptions.filter(client_id=client_id)
    return subscriptions.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    ).order_by("name", "id")


def subscription_get(*, pk: int, client_id: str | None = None) -> WebhookSubscription | None:
    """One subscription; with ``client_id``, only if that client owns it."""
    subscriptions = WebhookSubscription.objects.filter(pk=pk)
    if client_id is not None:
        subscriptions = subscriptions.filter(client_id=client_id)
    return subscriptions.first()


def _in_prisons(deliveries: QuerySet[WebhookDelivery], prison_codes) -> QuerySet[WebhookDelivery]:
    """Only deliveries about the given prisons (None: every prison): a client sees its current prisons' only."""
    if prison_codes is None:
        return deliveries
    return deliveries.filter(payload__additionalInformation__prisonId__in=sorted(prison_codes))


def delivery_list(
    *, subscription: WebhookSubscription, status: str = "", prison_codes=None
) -> QuerySet[WebhookDelivery]:
    deliveries = _in_prisons(WebhookDelivery.objects.filter(subscription=subscription), prison_codes)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-id")


def delivery_get(*, subscription: WebhookSubscription, delivery_id, prison_codes=None) -> WebhookDelivery | None:
    deliveries = WebhookDelivery.objects.filter(subscription=subscription, delivery_id=delivery_id)
    return _in_prisons(deliveries, prison_codes).first()
