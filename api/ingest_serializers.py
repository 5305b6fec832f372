"""Serializers of the ingest, events and webhook operations. The bodies of the two PUTs and each event type's
``additionalInformation`` are defined once in ``integration.payloads`` (the event handlers use them too)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cases.validators import validate_prison_code, validate_prison_number
from integration.models import DeliveryStatus, EventStatus, EventType, WebhookEventType
from integration.payloads import ADDITIONAL_INFORMATION, SENTENCE_FIELDS, camel, refuse_nul


class IngestResultSerializer(serializers.Serializer):
    prisonNumber = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=["created", "updated", "unchanged"], help_text="unchanged: the same data was already stored."
    )


def api_field(name: str) -> str:
    """The API's name for a model field a service refused (``conditional_release_date`` → sentence's
    ``sentence.conditionalReleaseDate``)."""
    special = {
        "prison": "prisonId",
        "local_delivery_unit": "lduCode",
        "ldu_code": "lduCode",
        "com_name": "com.name",
        "com_email": "com.email",
        "com": "com",
        "__all__": "",
    }
    if name in special:
        return special[name]
    if name in SENTENCE_FIELDS:
        return f"sentence.{camel(name)}"
    return camel(name)


def api_errors(error: DjangoValidationError) -> dict:
    """A service's ValidationError with its field names as the API names them."""
    if not hasattr(error, "error_dict"):
        return {"": error.messages}
    return {api_field(name): [m for e in errors for m in e.messages] for name, errors in error.error_dict.items()}


# --- Events -------------------------------------------------------------------------------------------------------


class IdentifierSerializer(serializers.Serializer):
    type = serializers.CharField(max_length=20, help_text="NOMS for the prison number.")
    value = serializers.CharField(max_length=40)


class PersonReferenceSerializer(serializers.Serializer):
    identifiers = IdentifierSerializer(many=True)


class EventInSerializer(serializers.Serializer):
    """A DPS-style domain event. ``additionalInformation`` depends on ``eventType`` (see the operation's notes)."""

    eventId = serializers.CharField(max_length=100, help_text="Unique per event: the same id again is stored once.")
    eventType = serializers.ChoiceField(choices=EventType.choices)
    version = serializers.IntegerField(required=False, min_value=1, max_value=100)
    occurredAt = serializers.DateTimeField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    personReference = PersonReferenceSerializer()
    additionalInformation = serializers.DictField(required=False, default=dict)

    def validate_personReference(self, value):  # noqa: N802
        numbers = [i["value"] for i in value["identifiers"] if i["type"].upper() == "NOMS"]
        if len(numbers) != 1:
            raise serializers.ValidationError("Give exactly one identifier of type NOMS: the prison number")
        try:
            validate_prison_number(numbers[0])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return numbers[0]

    def validate_additionalInformation(self, value):  # noqa: N802
        refuse_nul(value)
        return value

    def validate(self, attrs):
        serializer = ADDITIONAL_INFORMATION[attrs["eventType"]](data=attrs.get("additionalInformation") or {})
        if not serializer.is_valid():
            raise serializers.ValidationError({"additionalInformation": serializer.errors})
        info = serializer.validated_data
        if info.get("removed_prison_number") == attrs["personReference"]:
            raise serializers.ValidationError(
                {"additionalInformation": {"removedPrisonNumber": ["Must differ from the event's prison number"]}}
            )
        attrs["prison_code"] = info["prison"].pk if "prison" in info else None
        return attrs


class EventOutSerializer(serializers.Serializer):
    eventId = serializers.CharField(source="event_id")
    eventType = serializers.CharField(source="event_type")
    prisonNumber = serializers.CharField(source="prison_number")
    status = serializers.ChoiceField(choices=EventStatus.choices)
    attempts = serializers.IntegerField()
    receivedAt = serializers.DateTimeField(source="received_at")
    processedAt = serializers.DateTimeField(source="processed_at", allow_null=True)
    outcome = serializers.CharField()
    lastError = serializers.CharField(source="last_error")


class EventAcceptedSerializer(EventOutSerializer):
    duplicate = serializers.BooleanField(help_text="True when this event id was already stored: nothing was added.")


# --- Webhooks -----------------------------------------------------------------------------------------------------


class SubscriptionInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    url = serializers.URLField(max_length=500, help_text="The receiver: https (http only outside production).")
    eventTypes = serializers.ListField(
        source="event_types", child=serializers.ChoiceField(choices=WebhookEventType.choices), min_length=1
    )
    prisons = serializers.ListField(
        child=serializers.CharField(max_length=3, validators=[validate_prison_code]),
        required=False,
        default=list,
        help_text="Prison codes; empty: every prison the client may see.",
    )


class SubscriptionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    url = serializers.CharField()
    eventTypes = serializers.ListField(source="event_types", child=serializers.CharField())
    prisons = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    createdAt = serializers.DateTimeField(source="created_at")


class SubscriptionCreatedSerializer(SubscriptionOutSerializer):
    secret = serializers.CharField(
        help_text="The signing secret, shown only now: X-OMiC-Signature is HMAC-SHA256 of '<t>.<body>' with it."
    )


class DeliverySerializer(serializers.Serializer):
    deliveryId = serializers.UUIDField(source="delivery_id")
    eventType = serializers.CharField(source="event_type")
    prisonNumber = serializers.CharField(source="prison_number")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempts = serializers.IntegerField()
    createdAt = serializers.DateTimeField(source="created_at")
    lastAttemptAt = serializers.DateTimeField(source="last_attempt_at", allow_null=True)
    lastStatusCode = serializers.IntegerField(source="last_status_code", allow_null=True)
    lastError = serializers.CharField(source="last_error")
    deliveredAt = serializers.DateTimeField(source="delivered_at", allow_null=True)
