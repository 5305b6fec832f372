"""Service admin pages for API clients, under /service-admin/api-clients/."""

from django.urls import path

from api import admin_views

urlpatterns = [
    path("", admin_views.client_list, name="api_client_list"),
    path("new/", admin_views.client_create, name="api_client_create"),
    path("<str:client_id>/", admin_views.client_edit, name="api_client_edit"),
    path("<str:client_id>/rotate/", admin_views.client_rotate, name="api_client_rotate"),
    path("<str:client_id>/active/", admin_views.client_set_active, name="api_client_set_active"),
]
