from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from cases import views as case_views
from cases.scoping import PrisonCodeConverter
from dashboards import profile_views
from omic import audit_views, health, nightly_views, security, views

register_converter(PrisonCodeConverter, "prison")

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", security.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health", health.health, name="health"),
    path("health/ping", health.ping, name="health_ping"),
    # Early: the resolver tries patterns in order, and the API's busiest reads (issue #10) should not first be
    # matched against every page's address (about 0.15 ms a request). No page address starts with api/.
    path("api/", include("api.urls")),
    path("prisons/switch/", views.prison_switch, name="prison_switch"),
    path("prisons/<prison:prison_code>/", views.prison_home, name="prison_home"),
    path("prisons/<prison:prison_code>/staff/", views.staff_list, name="staff_list"),
    path("prisons/<prison:prison_code>/prisoners/", case_views.prisoner_list, name="prisoner_list"),
    path(
        "prisons/<prison:prison_code>/prisoners/<str:prison_number>/",
        profile_views.prisoner_profile,  # the full prisoner profile (dashboards)
        name="prisoner_detail",
    ),
    path("national/", views.national_home, name="national_home"),
    path("service-admin/", views.service_admin_home, name="service_admin_home"),
    path("service-admin/audit/", audit_views.audit_search, name="audit_search"),
    path("service-admin/audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("service-admin/nightly-jobs/", nightly_views.nightly_jobs, name="nightly_jobs"),
    path(
        "service-admin/nightly-jobs/sweeps/<int:run_id>/resume",
        nightly_views.sweep_run_resume,
        name="nightly_sweep_resume",
    ),
    path("", include("handover.urls")),
    path("", include("tiering.urls")),
    path("", include("allocation.urls")),
    path("", include("keywork.urls")),
    path("", include("casework.urls")),
    path("", include("dashboards.urls")),
    path("", include("oversight.urls")),
    path("", include("integration.urls")),
    path("service-admin/api-clients/", include("api.admin_urls")),
    path("admin/", admin.site.urls),
]
if settings.OIDC_ENABLED:  # single sign-on: /oidc/authenticate/, /oidc/callback/ (docs/security.md)
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
