"""Dashboard pages: caseload."""

urlpatterns: list = []
