"""Write the outbound webhook deliveries (the outbox) inside the transaction of the change they announce.

- ``handover.changed``: ``handover.signals.handover_changed``, sent by the recalculation and the sweep when a case's
  handover start date or handover date changes (the engine does not know who listens).
- ``allocation.changed``: a primary POM allocation starts or ends (``cases.PomAllocation`` saves), whichever
  allocation service made it.
- ``early-allocation.status.changed``: an early allocation assessment is made, or its outcome, approval or community
  decision changes (``cases.EarlyAllocation`` saves).

Connected in ``IntegrationConfig.ready``. With no subscription for a type nothing is read or written (the active
subscriptions are cached, see ``webhook_services.subscriptions_wanting``).
"""

from django.db.models.signals import post_init, post_save

from cases.models import EarlyAllocation, PomAllocation, Prisoner
from handover.signals import handover_changed
from integration.models import WebhookEventType
from integration.webhook_services import deliveries_enqueue, subscriptions_wanting

EARLY_ALLOCATION_WATCHED = ("outcome", "approved", "community_decision")
_MISSING = object()


def _prison_codes(numbers) -> dict[str, str]:
    return dict(Prisoner.objects.filter(pk__in=list(numbers)).values_list("pk", "prison_id"))


def _date(value):
    return value.isoformat() if value is not None else None


def on_handover_changed(sender, changes: list[dict], **kwargs) -> None:
    if not changes or not subscriptions_wanting(WebhookEventType.HANDOVER_CHANGED):
        return
    codes = _prison_codes(change["prison_number"] for change in changes)
    items = [
        (
            change["prison_number"],
            codes.get(change["prison_number"], ""),
            {
                "handoverStartDate": _date(change["handover_start_date"]),
                "handoverDate": _date(change["handover_date"]),
                "responsibility": change["responsibility"],
            },
        )
        for change in changes
    ]
    deliveries_enqueue(event_type=WebhookEventType.HANDOVER_CHANGED, items=items)


def on_allocation_saved(sender, instance: PomAllocation, created: bool = False, raw: bool = False, **kwargs) -> None:
    if raw or instance.role != PomAllocation.Role.PRIMARY:
        return
    update_fields = kwargs.get("update_fields")
    ended = instance.ended_at is not None and (update_fields is None or "ended_at" in update_fields)
    if not (created or ended) or not subscriptions_wanting(WebhookEventType.ALLOCATION_CHANGED):
        return
    # The allocation's own prison (its POM's): on a transfer the prisoner is already in the new prison, whose
    # subscribers must not hear of the old prison's allocation ending.
    details = {"change": "allocated" if created else "ended", "pomId": instance.pom_id if created else None}
    deliveries_enqueue(
        event_type=WebhookEventType.ALLOCATION_CHANGED,
        items=[(instance.prisoner_id, instance.pom.prison_id, details)],
    )


def _early_snapshot(instance) -> tuple:
    return tuple(instance.__dict__.get(name, _MISSING) for name in EARLY_ALLOCATION_WATCHED)


def early_allocation_remember(sender, instance, **kwargs) -> None:
    instance._webhook_snapshot = _early_snapshot(instance)


def on_early_allocation_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    now = _early_snapshot(instance)
    before = getattr(instance, "_webhook_snapshot", None)
    instance._webhook_snapshot = now
    if raw or (not created and before == now):
        return
    if not subscriptions_wanting(WebhookEventType.EARLY_ALLOCATION_STATUS_CHANGED):
        return
    details = {"outcome": instance.outcome, "communityDecision": instance.community_decision}
    deliveries_enqueue(
        event_type=WebhookEventType.EARLY_ALLOCATION_STATUS_CHANGED,
        items=[(instance.prisoner_id, instance.prison_id, details)],
    )


def connect() -> None:
    handover_changed.connect(on_handover_changed, dispatch_uid="integration-handover-changed")
    post_save.connect(on_allocation_saved, sender=PomAllocation, dispatch_uid="integration-allocation-saved")
    post_init.connect(early_allocation_remember, sender=EarlyAllocation, dispatch_uid="integration-early-remember")
    post_save.connect(on_early_allocation_saved, sender=EarlyAllocation, dispatch_uid="integration-early-saved")
