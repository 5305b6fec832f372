"""What integration stores: inbound domain events (kept, processed once, retried, parked), the releases and merges
they record, and outbound webhook subscriptions with their deliveries (the outbox).

Inbound events are idempotent by their ``event_id`` per sender: the database holds one row per (client, id), so one
client's ids never collide with, or reveal, another's. Outbound deliveries are
written in the same transaction as the change they announce and sent after the commit, so none is lost.
"""

import uuid

from django.db import models

from cases.validators import PRISON_NUMBER_PATTERN, validate_prison_number


class EventType(models.TextChoices):
    """The inbound domain event types (DPS style names; the issue's words as labels)."""

    PRISONER_RECEIVED = "prisoner.received", "Prisoner received"
    PRISONER_RELEASED = "prisoner.released", "Prisoner released"
    PRISONER_TRANSFERRED = "prisoner.transferred", "Prisoner transferred"
    SENTENCE_CHANGED = "prisoner.sentence.changed", "Sentence changed"
    COM_ALLOCATED = "probation.com.allocated", "COM allocated"
    TIER_CHANGED = "probation.tier.changed", "Tier changed"
    PAROLE_OUTCOME = "parole.outcome", "Parole outcome"
    PRISONER_MERGED = "prisoner.merged", "Prisoner records merged"


class EventStatus(models.TextChoices):
    RECEIVED = "received", "Waiting to be processed"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed: will be retried"
    PARKED = "parked", "Parked: retries used up, needs a person"


class InboundEvent(models.Model):
    """One domain event received through POST /api/v1/events, stored before it is processed (never lost)."""

    Type = EventType
    Status = EventStatus

    event_id = models.CharField("event id", max_length=100)
    client_pk = models.PositiveIntegerField(
        "API client", default=0, help_text="The pk of the API client that sent it; 0 when no API client did."
    )
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    prison_number = models.CharField(max_length=7, validators=[validate_prison_number])
    occurred_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True, help_text="The event's additionalInformation, as sent.")
    received_at = models.DateTimeField()
    received_from = models.CharField(max_length=150, help_text="The API client (or user) that sent the event.")
    status = models.CharField(max_length=9, choices=EventStatus.choices, default=EventStatus.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    outcome = models.CharField(max_length=200, blank=True, help_text="What processing did, in a few words.")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="inbound_event_due_idx"),
            models.Index(fields=["prison_number", "-received_at"], name="inbound_event_prisoner_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["client_pk", "event_id"], name="inbound_event_once_per_client"),
            models.CheckConstraint(
                condition=models.Q(event_type__in=EventType.values), name="inbound_event_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EventStatus.values), name="inbound_event_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(prison_number__regex=PRISON_NUMBER_PATTERN), name="inbound_event_prison_number"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EventStatus.PROCESSED) | models.Q(processed_at__isnull=False),
                name="inbound_event_processed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} for {self.prison_number} ({self.status})"


class Release(models.Model):
    """A release from prison, recorded from a ``prisoner.released`` event. The records layer has no "released" legal
    status: the release is recorded here and the POM and key work allocations are ended with the trigger release."""

    prisoner = models.ForeignKey("cases.Prisoner", on_delete=models.CASCADE, related_name="releases")
    prison = models.ForeignKey("cases.Prison", on_delete=models.PROTECT, related_name="+")
    released_on = models.DateField()
    reason = models.CharField(max_length=80, blank=True)
    event = models.OneToOneField(InboundEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-released_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["prisoner", "released_on"], name="release_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"Release of {self.prisoner_id} from {self.prison_id} on {self.released_on}"


class PrisonerMerge(models.Model):
    """Two prison numbers found to be one person (``prisoner.merged``). Recorded for a person to review: the case
    data of the removed number is not moved automatically."""

    removed_prison_number = models.CharField(max_length=7, validators=[validate_prison_number])
    prison_number = models.CharField("kept prison number", max_length=7, validators=[validate_prison_number])
    event = models.OneToOneField(InboundEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["removed_prison_number", "prison_number"], name="prisoner_merge_once"),
            models.CheckConstraint(
                condition=~models.Q(removed_prison_number=models.F("prison_number")), name="prisoner_merge_two_numbers"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.removed_prison_number} merged into {self.prison_number}"


class WebhookEventType(models.TextChoices):
    ALLOCATION_CHANGED = "allocation.changed", "The primary POM changed"
    HANDOVER_CHANGED = "handover.changed", "The handover start date or handover date changed"
    EARLY_ALLOCATION_STATUS_CHANGED = "early-allocation.status.changed", "The early allocation status changed"


class WebhookSubscription(models.Model):
    """Where to send which outbound events, signed with the subscription's secret (HMAC-SHA256)."""

    EventType = WebhookEventType

    name = models.CharField(max_length=120)
    url = models.URLField("receiver URL", max_length=500)
    secret = models.CharField(max_length=100, help_text="The signing key, shown once when the subscription is made.")
    event_types = models.JSONField(default=list, help_text="Outbound event types sent to this receiver.")
    prisons = models.JSONField(default=list, blank=True, help_text="Prison codes; empty means every prison.")
    client_id = models.CharField(
        "API client", max_length=100, blank=True, help_text="The API client that owns it; blank when staff made it."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["client_id", "active"], name="webhook_sub_client_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    def wants(self, event_type: str, prison_code: str) -> bool:
        return self.active and event_type in self.event_types and (not self.prisons or prison_code in self.prisons)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed: retries used up"


class WebhookDelivery(models.Model):
    """One outbound event for one subscription: written with the change, sent after the commit, retried."""

    Status = DeliveryStatus

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40, choices=WebhookEventType.choices)
    prison_number = models.CharField(max_length=7)
    payload = models.JSONField()
    status = models.CharField(max_length=9, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_log_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event_type__in=WebhookEventType.values), name="webhook_delivery_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DeliveryStatus.DELIVERED) | models.Q(delivered_at__isnull=False),
                name="webhook_delivery_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} for {self.prison_number} to {self.subscription_id} ({self.status})"
