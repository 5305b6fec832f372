"""Permissions of the dashboards app (django-rules autodiscovers this module). One module per area."""

from dashboards import caseload_rules, dashboard_rules  # noqa: F401
