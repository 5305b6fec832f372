"""Dashboard pages: the HOMD dashboard (one page for the unit) and the national OMiC measures."""

from django.urls import path

from dashboards import dashboard_views, national_views

urlpatterns = [
    path("prisons/<prison:prison_code>/dashboard/", dashboard_views.dashboard, name="homd_dashboard"),
    path("national/measures/", national_views.national_measures, name="national_measures"),
]
