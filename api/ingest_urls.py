"""API operations: ingest (prisoner and probation data), domain events in, and webhook subscriptions."""

from django.urls import path

from api.ingest_events import EventGetApi, EventsApi
from api.ingest_views import CaseInformationPutApi, PrisonerPutApi
from api.ingest_webhooks import DeliveryListApi, DeliveryRetryApi, SubscriptionApi, SubscriptionListApi

urlpatterns = [
    path("prisoners/<str:prisonNumber>", PrisonerPutApi.as_view(), name="api_prisoner_put"),
    path(
        "prisoners/<str:prisonNumber>/case-information",
        CaseInformationPutApi.as_view(),
        name="api_prisoner_case_information_put",
    ),
    path("events", EventsApi.as_view(), name="api_events"),
    path("events/<str:eventId>", EventGetApi.as_view(), name="api_event_get"),
    path("webhooks", SubscriptionListApi.as_view(), name="api_webhook_subscriptions"),
    path("webhooks/<int:pk>", SubscriptionApi.as_view(), name="api_webhook_subscription"),
    path("webhooks/<int:pk>/deliveries", DeliveryListApi.as_view(), name="api_webhook_deliveries"),
    path(
        "webhooks/<int:pk>/deliveries/<uuid:deliveryId>/retry",
        DeliveryRetryApi.as_view(),
        name="api_webhook_delivery_retry",
    ),
]
