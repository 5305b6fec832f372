from django.urls import path

from integration import views

urlpatterns = [
    path("service-admin/integration/", views.event_list_view, name="integration_events"),
    path("service-admin/integration/events/<int:pk>/retry", views.event_retry_view, name="integration_event_retry"),
    path("service-admin/integration/webhooks/", views.subscription_list_view, name="integration_webhooks"),
    path("service-admin/integration/webhooks/<int:pk>/", views.subscription_detail, name="integration_webhook"),
    path(
        "service-admin/integration/webhooks/<int:pk>/stop",
        views.subscription_stop,
        name="integration_webhook_stop",
    ),
    path(
        "service-admin/integration/deliveries/<int:pk>/retry",
        views.delivery_retry_view,
        name="integration_delivery_retry",
    ),
]
