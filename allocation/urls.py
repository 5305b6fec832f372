"""allocation pages. Every path is under /prisons/<prison:prison_code>/ unless it is national."""

from django.urls import include, path

from allocation import case_views, views

CASE = "prisons/<prison:prison_code>/allocations/cases/<str:prison_number>/"

urlpatterns = [
    path("prisons/<prison:prison_code>/allocations/", views.to_allocate, name="allocation_to_allocate"),
    path(
        "prisons/<prison:prison_code>/allocations/missing-details/",
        views.missing_details,
        name="allocation_missing_details",
    ),
    path(
        "prisons/<prison:prison_code>/allocations/missing-details/<str:prison_number>/",
        views.missing_details_form,
        name="allocation_missing_details_form",
    ),
    path("prisons/<prison:prison_code>/allocations/allocated/", views.allocated, name="allocation_allocated"),
    path(CASE, case_views.review, name="allocation_review"),
    path(CASE + "choose/", case_views.choose, name="allocation_choose"),
    path(CASE + "compare/", case_views.compare, name="allocation_compare"),
    path(CASE + "confirm/", case_views.confirm, name="allocation_confirm"),
    path(CASE + "deallocate/", case_views.deallocate_case, name="allocation_deallocate"),
    path(CASE + "co-worker/", case_views.co_worker, name="allocation_co_worker"),
    path(CASE + "co-worker/remove/", case_views.co_worker_remove, name="allocation_co_worker_remove"),
    path(CASE + "timeline/", case_views.timeline, name="allocation_timeline"),
    path("", include("allocation.staff_urls")),
]
