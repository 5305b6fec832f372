"""The shapes of what other systems send: the prisoner and case information bodies of the ingest PUTs and the
``additionalInformation`` of each inbound domain event. Plain DRF serializers, used by the API views (to refuse bad
input with a 400 naming the field, and for the OpenAPI schema) and again by the event handlers when they process a
stored event.

Names are camelCase on the wire; each field's ``source`` is the model field, so ``validated_data`` holds model field
names ready for ``cases.services.prisoner_upsert``. A PUT replaces: a field left out is stored as "not known" (blank,
null or the model default), so sending the same body twice writes nothing the second time.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from cases.models import CaseInformation, LocalDeliveryUnit, Prison, Prisoner, Sentence
from cases.validators import validate_crn, validate_prison_number
from integration.models import EventType
from tiering.calculations import InputError, parse_input

PRISONER_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "prison_arrival_date",
    "legal_status",
    "imprisonment_status",
    "cell_location",
    "security_category",
    "category_approved_date",
    "care_experienced",
)
SENTENCE_FIELDS = tuple(
    f.name for f in Sentence._meta.concrete_fields if f.name not in ("id", "prisoner", "updated_at")
)
CASE_FIELDS = ("rosh_level", "mappa_level", "enhanced_resourcing", "probation_region", "womens_complexity")
REQUIRED = {"first_name", "last_name", "legal_status", "sentence_type"}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _field(model_field: models.Field) -> serializers.Field:
    required = model_field.name in REQUIRED
    common = {"required": required}
    if camel(model_field.name) != model_field.name:
        common["source"] = model_field.name
    if model_field.help_text:
        common["help_text"] = str(model_field.help_text)
    if isinstance(model_field, models.DateField):
        return serializers.DateField(allow_null=not required, **common)
    if isinstance(model_field, models.BooleanField):
        return serializers.BooleanField(allow_null=model_field.null, **common)
    if model_field.choices:
        return serializers.ChoiceField(
            choices=model_field.choices, allow_blank=not required, allow_null=not required, **common
        )
    if isinstance(model_field, models.PositiveSmallIntegerField):
        return serializers.IntegerField(min_value=0, max_value=3, allow_null=True, **common)
    validators = [v for v in model_field.validators if v.__class__.__name__ == "RegexValidator"]
    return serializers.CharField(
        max_length=model_field.max_length,
        allow_blank=not required,
        allow_null=not required,
        validators=validators,
        **common,
    )


def _fields(model: type[models.Model], names: tuple[str, ...]) -> dict:
    return {camel(name): _field(model._meta.get_field(name)) for name in names}


def refuse_nul(value) -> None:
    """Refuse a NUL character anywhere in a JSON value (PostgreSQL cannot store it): a 400, never a 500."""
    if isinstance(value, str) and "\x00" in value:
        raise serializers.ValidationError("Must not contain a NUL character")
    if isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key)
            refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            refuse_nul(item)


def tier_inputs_check(inputs: dict, model: str | None) -> None:
    """The tier inputs as the tier model's own parser reads them; a 400 naming the input otherwise."""
    refuse_nul(inputs)
    try:
        parse_input(model or settings.TIER_MODEL, inputs)
    except InputError as error:
        raise serializers.ValidationError(str(error)) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise serializers.ValidationError(f"Not valid inputs for the tier model: {error}") from None


def _default(model: type[models.Model], name: str):
    field = model._meta.get_field(name)
    if field.has_default():
        return field.get_default()
    return None if field.null else ""


def complete(model: type[models.Model], names: tuple[str, ...], values: dict) -> dict:
    """``values`` with every field of ``names`` it lacks (or has as null where the model stores no null) set to "not
    known": a PUT replaces the whole part."""
    return {name: _default(model, name) if values.get(name) is None else values[name] for name in names}


SentenceSerializer = type(
    "SentenceSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "The current sentence and its calculation's dates (``*Override``: the calculation's override).",
        "__module__": __name__,
        **_fields(Sentence, SENTENCE_FIELDS),
    },
)
_PrisonerFields = type(
    "_PrisonerFields", (serializers.Serializer,), {"__module__": __name__, **_fields(Prisoner, PRISONER_FIELDS)}
)
_CaseFields = type(
    "_CaseFields", (serializers.Serializer,), {"__module__": __name__, **_fields(CaseInformation, CASE_FIELDS)}
)


class PrisonerSerializer(_PrisonerFields):
    """PUT /api/v1/prisoners/{prisonNumber}: the prisoner, their prison, legal status, location and sentence."""

    prisonId = serializers.SlugRelatedField(
        source="prison",
        slug_field="code",
        queryset=Prison.objects.all(),
        error_messages={"does_not_exist": "No prison has the code {value}"},
    )
    sentence = SentenceSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        attrs = dict(attrs)
        sentence = attrs.pop("sentence", None)
        prisoner = complete(Prisoner, PRISONER_FIELDS, attrs)
        prisoner["prison"] = attrs["prison"]
        return {"prisoner": prisoner, "sentence": complete(Sentence, SENTENCE_FIELDS, sentence) if sentence else None}


class ComSerializer(serializers.Serializer):
    """The community offender manager (COM): the email identifies them."""

    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254)


class CaseInformationSerializer(_CaseFields):
    """PUT /api/v1/prisoners/{prisonNumber}/case-information: what probation holds about the case."""

    crn = serializers.CharField(max_length=7, required=False, allow_blank=True)
    lduCode = serializers.SlugRelatedField(
        source="local_delivery_unit",
        slug_field="code",
        queryset=LocalDeliveryUnit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No local delivery unit has the code {value}"},
    )
    com = ComSerializer(required=False, allow_null=True, help_text="The COM; null or left out: none allocated.")
    tierInputs = serializers.JSONField(
        source="tier_inputs",
        required=False,
        allow_null=True,
        help_text="The tier model's inputs (see the tiering documentation); left out: the stored inputs stay.",
    )
    tierModel = serializers.ChoiceField(
        source="tier_model", choices=["v2", "v3"], required=False, help_text="Default: the service's tier model."
    )

    def validate_crn(self, value):
        value = value.upper()
        if value:
            try:
                validate_crn(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
        return value

    def validate_tierInputs(self, value):
        if value is not None and not isinstance(value, dict):
            raise serializers.ValidationError("Must be an object of the tier model's inputs")
        return value

    def validate(self, attrs):
        if attrs.get("tier_inputs") is not None:
            try:
                tier_inputs_check(attrs["tier_inputs"], attrs.get("tier_model"))
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"tierInputs": error.detail}) from None
        case = complete(CaseInformation, CASE_FIELDS, attrs)
        case["crn"] = attrs.get("crn", "")
        case["local_delivery_unit"] = attrs.get("local_delivery_unit")
        com = attrs.get("com")
        if com is None:
            case["com"] = None
        return {
            "case_information": case,
            "com": {"email": com["email"].lower(), "name": com.get("name", "")} if com else None,
            "tier_inputs": attrs.get("tier_inputs"),
            "tier_model": attrs.get("tier_model"),
        }


# --- Inbound domain events: additionalInformation per event type -------------------------------------------------


class ArrivalSerializer(serializers.Serializer):
    """``prisoner.received`` and ``prisoner.transferred``: the prison the person is now held in."""

    prisonId = serializers.SlugRelatedField(
        source="prison",
        slug_field="code",
        queryset=Prison.objects.all(),
        error_messages={"does_not_exist": "No prison has the code {value}"},
    )
    arrivalDate = serializers.DateField(
        source="arrival_date", required=False, allow_null=True, help_text="Default: the day the event occurred."
    )


class ReleaseSerializer(serializers.Serializer):
    """``prisoner.released``."""

    releasedOn = serializers.DateField(
        source="released_on", required=False, allow_null=True, help_text="Default: the day the event occurred."
    )
    reason = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class SentenceChangedSerializer(serializers.Serializer):
    """``prisoner.sentence.changed``: the new sentence, if sent; the handover is recalculated either way."""

    sentence = SentenceSerializer(required=False, allow_null=True)


class ComAllocatedSerializer(serializers.Serializer):
    """``probation.com.allocated``."""

    com = ComSerializer()
    lduCode = serializers.SlugRelatedField(
        source="local_delivery_unit",
        slug_field="code",
        queryset=LocalDeliveryUnit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No local delivery unit has the code {value}"},
    )


class TierChangedSerializer(serializers.Serializer):
    """``probation.tier.changed``: the new tier inputs; the tier is recalculated from them."""

    tierInputs = serializers.DictField(source="tier_inputs")
    tierModel = serializers.ChoiceField(source="tier_model", choices=["v2", "v3"], required=False)

    def validate(self, attrs):
        try:
            tier_inputs_check(attrs["tier_inputs"], attrs.get("tier_model"))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"tierInputs": error.detail}) from None
        return attrs


class ParoleOutcomeSerializer(serializers.Serializer):
    """``parole.outcome``: one parole review with its outcome."""

    reviewId = serializers.CharField(source="review_id", max_length=40, required=False, allow_blank=True)
    targetHearingDate = serializers.DateField(source="target_hearing_date", required=False, allow_null=True)
    custodyReportDue = serializers.DateField(source="custody_report_due", required=False, allow_null=True)
    reviewType = serializers.CharField(source="review_type", max_length=80, required=False, allow_blank=True)
    reviewStatus = serializers.CharField(source="review_status", max_length=80, required=False, allow_blank=True)
    hearingOutcome = serializers.CharField(source="hearing_outcome", max_length=120)
    hearingOutcomeReceivedOn = serializers.DateField(
        source="hearing_outcome_received_on", required=False, allow_null=True
    )


class MergeSerializer(serializers.Serializer):
    """``prisoner.merged``: the removed prison number is now the same person as the event's prison number."""

    removedPrisonNumber = serializers.CharField(
        source="removed_prison_number", max_length=7, validators=[validate_prison_number]
    )


ADDITIONAL_INFORMATION = {
    EventType.PRISONER_RECEIVED: ArrivalSerializer,
    EventType.PRISONER_TRANSFERRED: ArrivalSerializer,
    EventType.PRISONER_RELEASED: ReleaseSerializer,
    EventType.SENTENCE_CHANGED: SentenceChangedSerializer,
    EventType.COM_ALLOCATED: ComAllocatedSerializer,
    EventType.TIER_CHANGED: TierChangedSerializer,
    EventType.PAROLE_OUTCOME: ParoleOutcomeSerializer,
    EventType.PRISONER_MERGED: MergeSerializer,
}


def additional_information(event_type: str, data: dict) -> dict:
    """The cleaned ``additionalInformation`` of an event (model field names), or a DRF ValidationError naming the
    field."""
    serializer = ADDITIONAL_INFORMATION[event_type](data=data or {})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
