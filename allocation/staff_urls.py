"""POM staff pages, under /prisons/<code>/poms/ (included by allocation.urls)."""

from django.urls import path

from allocation import staff_views

urlpatterns = [
    path("prisons/<prison:prison_code>/poms/", staff_views.pom_list, name="pom_list"),
    path("prisons/<prison:prison_code>/poms/add/", staff_views.pom_add, name="pom_add"),
    path("prisons/<prison:prison_code>/poms/<int:pom_id>/", staff_views.pom_detail, name="pom_detail"),
    path("prisons/<prison:prison_code>/poms/<int:pom_id>/edit/", staff_views.pom_edit, name="pom_edit"),
    path(
        "prisons/<prison:prison_code>/poms/<int:pom_id>/reallocate/", staff_views.pom_reallocate, name="pom_reallocate"
    ),
    path(
        "prisons/<prison:prison_code>/poms/<int:pom_id>/reallocate/check/",
        staff_views.pom_reallocate_check,
        name="pom_reallocate_check",
    ),
]
