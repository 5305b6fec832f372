"""A URLconf with one page the permission matrix does not list (test_permission_matrix.py proves it is caught)."""

from django.http import HttpResponse
from django.urls import path

from omic.urls import urlpatterns as project_patterns

urlpatterns = [*project_patterns, path("unlisted/", lambda request: HttpResponse("hello"), name="unlisted_page")]
