"""Webhook subscriptions and their delivery logs, for the API client that owns them (scope "manage webhooks").

A client sees and changes only its own subscriptions (another's is a 404). The signing secret is returned once, when
the subscription is made. Deliveries are POSTs of a JSON domain event signed with ``X-OMiC-Signature``
(``integration.calculations``; docs/webhooks.md), at least once, retried with backoff.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import scopes
from api.errors import problem_responses
from api.ingest_serializers import (
    DeliverySerializer,
    SubscriptionCreatedSerializer,
    SubscriptionInSerializer,
    SubscriptionOutSerializer,
    api_errors,
)
from api.pagination import page_of
from api.parsers import FiniteJSONParser
from api.permissions import principal_for
from api.read_serializers import paged
from integration.models import DeliveryStatus
from integration.selectors import delivery_get, delivery_list, subscription_get, subscription_list
from integration.webhook_services import delivery_retry, subscription_create, subscription_deactivate

SUBSCRIPTION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The subscription's id.")
PAGING = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("pageSize", int, description="Rows per page, 1 to 500 (100 by default)."),
]
DeliveryPage = paged("WebhookDeliveryPage", DeliverySerializer)
SubscriptionPage = paged("WebhookSubscriptionPage", SubscriptionOutSerializer)


def _refuse_unknown_parameters(request, allowed: set[str]) -> None:
    """A query parameter the operation does not take is a 400 naming it (a typo must not silently list everything)."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise exceptions.ValidationError(
            {name or "query": ["This operation takes no such parameter"] for name in unknown}
        )


def _owner(request) -> str:
    principal = principal_for(request)
    if not principal.is_client:
        raise exceptions.PermissionDenied("Webhook subscriptions belong to API clients")
    return principal.client_id


def _own_subscription(request, pk: int):
    subscription = subscription_get(pk=pk, client_id=_owner(request))
    if subscription is None:
        raise Http404("No such subscription for this client")
    return subscription


class SubscriptionListApi(APIView):
    required_scopes = (scopes.MANAGE_WEBHOOKS,)
    parser_classes = [FiniteJSONParser]

    @extend_schema(
        operation_id="webhook_subscription_list",
        summary="This client's webhook subscriptions",
        parameters=PAGING,
        responses={200: SubscriptionPage, **problem_responses(400)},
        tags=["webhooks"],
    )
    def get(self, request):
        _refuse_unknown_parameters(request, {"page", "pageSize"})
        subscriptions = subscription_list(client_id=_owner(request))
        return Response(page_of(request, subscriptions, lambda s: SubscriptionOutSerializer(s).data))

    @extend_schema(
        operation_id="webhook_subscription_create",
        summary="Subscribe a receiver to allocation.changed, handover.changed or early-allocation.status.changed",
        description=(
            "The answer holds the signing secret, shown only once. ``prisons`` must be among the client's prisons; "
            "left empty, a client limited to some prisons gets those."
        ),
        request=SubscriptionInSerializer,
        responses={201: SubscriptionCreatedSerializer, **problem_responses(400)},
        tags=["webhooks"],
    )
    def post(self, request):
        owner = _owner(request)
        principal = principal_for(request)
        serializer = SubscriptionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        prisons = data["prisons"]
        if principal.prison_codes is not None:
            outside = [code for code in prisons if code not in principal.prison_codes]
            if outside:
                raise exceptions.ValidationError(
                    {"prisons": [f"Not among this client's prisons: {', '.join(outside)}"]}
                )
            prisons = prisons or sorted(principal.prison_codes)
        try:
            subscription = subscription_create(
                name=data["name"],
                url=data["url"],
                event_types=data["event_types"],
                prisons=prisons,
                client_id=owner,
                actor=request.user,
                actor_label=principal.label,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(api_errors(error)) from None
        body = {**SubscriptionOutSerializer(subscription).data, "secret": subscription.secret}
        return Response(body, status=status.HTTP_201_CREATED)


class SubscriptionApi(APIView):
    required_scopes = (scopes.MANAGE_WEBHOOKS,)

    @extend_schema(
        operation_id="webhook_subscription_get",
        summary="One of this client's webhook subscriptions",
        parameters=[SUBSCRIPTION_ID],
        responses={200: SubscriptionOutSerializer, **problem_responses(404)},
        tags=["webhooks"],
    )
    def get(self, request, pk: int):
        return Response(SubscriptionOutSerializer(_own_subscription(request, pk)).data)

    @extend_schema(
        operation_id="webhook_subscription_delete",
        summary="Stop a subscription (its delivery log is kept)",
        parameters=[SUBSCRIPTION_ID],
        responses={204: None, **problem_responses(404)},
        tags=["webhooks"],
    )
    def delete(self, request, pk: int):
        subscription = _own_subscription(request, pk)
        subscription_deactivate(subscription=subscription, actor=request.user, actor_label=principal_for(request).label)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListApi(APIView):
    required_scopes = (scopes.MANAGE_WEBHOOKS,)

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)

    @extend_schema(
        operation_id="webhook_delivery_list",
        summary="The delivery log of one of this client's subscriptions, newest first",
        parameters=[
            SUBSCRIPTION_ID,
            OpenApiParameter("status", str, enum=DeliveryStatus.values, description="Only deliveries in this state."),
            *PAGING,
        ],
        responses={200: DeliveryPage, **problem_responses(400, 404)},
        tags=["webhooks"],
    )
    def get(self, request, pk: int):
        subscription = _own_subscription(request, pk)
        _refuse_unknown_parameters(request, {"page", "pageSize", "status"})
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        deliveries = delivery_list(
            subscription=subscription,
            status=filters.validated_data.get("status", ""),
            prison_codes=principal_for(request).prison_codes,
        )
        return Response(page_of(request, deliveries, lambda d: DeliverySerializer(d).data))


class DeliveryRetryApi(APIView):
    required_scopes = (scopes.MANAGE_WEBHOOKS,)

    @extend_schema(
        operation_id="webhook_delivery_retry",
        summary="Send a failed delivery again now",
        parameters=[SUBSCRIPTION_ID, OpenApiParameter("deliveryId", str, OpenApiParameter.PATH, description="UUID")],
        request=None,
        responses={202: DeliverySerializer, **problem_responses(400, 404)},
        tags=["webhooks"],
    )
    def post(self, request, pk: int, deliveryId):
        subscription = _own_subscription(request, pk)
        delivery = delivery_get(
            subscription=subscription, delivery_id=deliveryId, prison_codes=principal_for(request).prison_codes
        )
        if delivery is None:
            raise Http404("No such delivery")
        try:
            delivery = delivery_retry(delivery=delivery, actor=request.user, actor_label=principal_for(request).label)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"deliveryId": error.messages}) from None
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
