"""Key work pages, all under /prisons/<prison:prison_code>/key-work/. The recording pages are in recording_urls."""

from django.urls import include, path

from keywork import allocation_views, staff_views, views

P = "prisons/<prison:prison_code>/key-work/"

urlpatterns = [
    path(P, views.keywork_home, name="keywork_home"),
    path(f"{P}dashboard/", views.dashboard, name="keywork_dashboard"),
    path(f"{P}settings/", views.configuration, name="keywork_configuration"),
    path(f"{P}key-workers/", staff_views.key_worker_list, name="keywork_key_workers"),
    path(f"{P}key-workers/<int:user_id>/", staff_views.key_worker_detail, name="keywork_key_worker"),
    path(f"{P}key-workers/<int:user_id>/edit/", staff_views.key_worker_edit, name="keywork_key_worker_edit"),
    path(f"{P}key-workers/<int:user_id>/confirm/", staff_views.key_worker_confirm, name="keywork_key_worker_confirm"),
    path(f"{P}allocations/", allocation_views.allocation_list, name="keywork_allocations"),
    path(f"{P}auto-allocation/", allocation_views.auto_allocation, name="keywork_auto_allocation"),
    path(f"{P}prisoners/<str:prison_number>/", allocation_views.prisoner_key_worker, name="keywork_prisoner"),
    path("", include("keywork.recording_urls")),
]
