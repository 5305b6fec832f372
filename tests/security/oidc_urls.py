"""The project's URLconf as it is with single sign-on switched on (OIDC_RP_CLIENT_ID set): the /oidc/ URLs."""

from django.urls import include, path

from omic.urls import urlpatterns as project_patterns

urlpatterns = [*project_patterns]
if not any(str(p.pattern) == "oidc/" for p in project_patterns):
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
