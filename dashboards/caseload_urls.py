"""Dashboard pages: the POM caseload ("Your cases") and search. The prisoner profile keeps the existing name and path
``prisoner_detail`` (omic/urls.py points it at ``dashboards.profile_views.prisoner_profile``)."""

from django.urls import path

from dashboards import caseload_views, search_views

urlpatterns = [
    path("prisons/<prison:prison_code>/caseload/", caseload_views.caseload, name="caseload"),
    path("prisons/<prison:prison_code>/search/", search_views.search, name="search"),
]
